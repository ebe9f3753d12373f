import type { LogLevel } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest log levels up to and including the configured one. */
export function logLevels(config: GatewayConfig): LogLevel[] {
  const index = ORDER.indexOf(config.log.level);
  return ORDER.slice(0, index === -1 ? 4 : index + 1);
}
