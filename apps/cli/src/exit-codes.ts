/**
 * What the CLI's exit status means, so scripts can branch on it without parsing messages. Documented in
 * `axonhub --help` and the README; a status the admin API answers maps to one of these.
 */
export const ExitCode = {
  ok: 0,
  /** Anything unexpected: a 5xx other than 503, an answer that is not the admin API's. */
  failure: 1,
  /** Bad flags or arguments: nothing was sent. */
  usage: 2,
  /** 401 or 403: not logged in, the token is unknown or revoked, or its role may not do this. */
  auth: 3,
  /** 404: no such key, profile, channel, ... (or outside the token's project). */
  notFound: 4,
  /** 400 or 409: the gateway refused the request as invalid or conflicting (the message says why). */
  invalid: 5,
  /** The gateway could not be reached, or answered 502/503/504 (a service behind it is down). */
  unavailable: 6,
  /** `channels test`: the test ran, and the channel failed it. */
  checkFailed: 7,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP = `Exit codes:
  0  ok
  1  unexpected failure
  2  usage error (bad flags or arguments)
  3  not authenticated or forbidden (HTTP 401/403)
  4  not found (HTTP 404)
  5  invalid request or conflict (HTTP 400/409), or an ambiguous name
  6  gateway unreachable, or HTTP 502/503/504
  7  channels test: the channel failed the test`;

export function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.auth;
  if (status === 404) return ExitCode.notFound;
  if (status === 400 || status === 409 || status === 422) return ExitCode.invalid;
  if (status === 502 || status === 503 || status === 504) return ExitCode.unavailable;
  return ExitCode.failure;
}

/** A failure the CLI reports as one line on stderr and an exit code (never a stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** The admin API's error envelope, printed as is with `--json`. */
    readonly envelope?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}
