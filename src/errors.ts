/**
 * The application's error root. Every error a user can cause or fix carries a stable code;
 * the CLI prints the message (no stack) and exits non-zero, GraphQL maps the code.
 */
export const ErrorCodes = Object.freeze({
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  UNAVAILABLE: 'UNAVAILABLE',
  FAILED: 'FAILED',
  /** A job stopped on request (Ctrl-C, cancelJob, a server shutting down). */
  CANCELLED: 'CANCELLED',
} as const);

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input from a flag, environment variable, config file or API argument. */
export class UserInputError extends AppError {
  override name = 'UserInputError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCodes.BAD_USER_INPUT, message, details);
  }
}
