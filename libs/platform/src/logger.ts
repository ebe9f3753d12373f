import type { LogLevel } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';
import { RedactingLogger } from './redacting-logger';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest log levels up to and including the configured one. */
export function logLevels(config: GatewayConfig): LogLevel[] {
  const index = ORDER.indexOf(config.log.level);
  return ORDER.slice(0, index === -1 ? 4 : index + 1);
}

/** The logger every app runs with: the configured levels, every line redacted (see RedactingLogger). */
export function gatewayLogger(config: GatewayConfig): RedactingLogger {
  return new RedactingLogger(logLevels(config));
}
