/**
 * Exit codes and the one error type commands throw to stop with a given code.
 * The top-level catch in main.ts is the only place that turns errors into output and an exit status.
 */

export const EXIT = {
  ok: 0,
  /** The token is invalid, or `scan`/`explain` found something. */
  invalid: 1,
  /** Wrong flags or arguments: fix the command line. */
  usage: 2,
  /** A file, stdin, the key material or a config file could not be read or used. */
  io: 3,
  /** A bug in usersig: please report it. */
  internal: 70,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/**
 * Stops the command with `code`. `message` says what is wrong and `hint` how to fix it; both are printed on one line.
 * Neither may contain a secret or a whole token.
 */
export class ExitError extends Error {
  override name = 'ExitError'
  readonly code: ExitCode
  readonly hint: string | undefined

  constructor(code: ExitCode, message: string, hint?: string) {
    super(message)
    this.code = code
    this.hint = hint
  }
}

export const usageError = (message: string, hint?: string): ExitError => new ExitError(EXIT.usage, message, hint)
export const ioError = (message: string, hint?: string): ExitError => new ExitError(EXIT.io, message, hint)

/**
 * Exit code for a core `UserSigError` code. Bad flag values are usage errors; key material comes from files, stdin or
 * the environment, so a bad key is a configuration error; a token that does not parse is an invalid token.
 */
export function exitCodeForUserSigError(code: string): ExitCode {
  switch (code) {
    case 'MALFORMED':
      return EXIT.invalid
    case 'INVALID_SECRET_KEY':
    case 'INVALID_PRIVATE_KEY':
    case 'INVALID_PUBLIC_KEY':
      return EXIT.io
    default:
      return EXIT.usage
  }
}
