#!/usr/bin/env node
import { runCli } from './cli';
import { terminalInput } from './session/terminal-input';

/** The `axonhub` command (bin/axonhub.js runs this file from dist/). */
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTerminal: process.stdout.isTTY === true,
  input: terminalInput,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
}).then((code) => {
  // exitCode, not exit(): stdout may still be draining into a pipe.
  process.exitCode = code;
});
