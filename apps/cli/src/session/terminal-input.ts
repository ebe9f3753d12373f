import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from '../exit-codes';

/** Secrets come from stdin (`--password-stdin`) or a prompt that does not echo; never from the command line by default. */
export interface SecretInput {
  /** The whole of stdin, without its trailing newline. */
  readStdin(): Promise<string>;
  /** Asks on the terminal without echoing; without a terminal, a usage error naming `instead` (the flag to use). */
  promptHidden(question: string, instead: string): Promise<string>;
}

export const terminalInput: SecretInput = {
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  },

  async promptHidden(question: string): Promise<string> {
    if (!process.stdin.isTTY)
      throw new UsageError(`${question.replace(/:\s*$/, '')}: stdin is not a terminal; pass it on stdin with the --...-stdin option`);
    process.stderr.write(question);
    // Output to a sink: readline echoes what is typed to its output, and this one swallows it.
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
    try {
      return await new Promise<string>((resolve) => reader.question('', resolve));
    } finally {
      reader.close();
      process.stderr.write('\n');
    }
  },
};
