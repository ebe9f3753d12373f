import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { SecretRedactor } from '@gw/ir';

/**
 * Every log line goes through a redactor that knows the upstream credentials this process holds (the
 * routing snapshot's channel keys, set with `setLoggedSecrets` whenever a snapshot is loaded) and the shapes
 * of credentials generally. Log lines are not the hot path: one redaction per line is cheap insurance
 * against an upstream's error text, an exception message or a stack that quotes a key.
 */
let redactor = new SecretRedactor([]);

export function setLoggedSecrets(secrets: readonly string[]): void {
  redactor = new SecretRedactor(secrets);
}

export function redactLogText(text: string): string {
  return redactor.redact(text);
}

export class RedactingLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages.map(redactMessage), context, logLevel, writeStreamType, errorStack);
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(typeof stack === 'string' ? redactLogText(stack) : stack);
  }
}

function redactMessage(message: unknown): unknown {
  if (typeof message === 'string') return redactLogText(message);
  if (message instanceof Error) return redactLogText(message.stack ?? message.message);
  if (typeof message === 'object' && message !== null) return redactLogText(JSON.stringify(message));
  return message;
}
