/**
 * GraphQL errors: one `GraphQLError` subclass per kind a client can act on, each with a stable
 * `extensions.code` (listed once, in `GraphQLErrorCodes`) and its HTTP status in
 * `extensions.http` (Apollo Server applies it to the response and strips it from the body).
 * Application errors (`AppError`) are mapped here, in one place; anything else is an internal
 * error (server/errors.ts formats it). Here, below the server, because the resolvers throw
 * these and the server assembles the resolvers: layers point down.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isUnavailableError, RETRY_AFTER_SECONDS, unavailableError } from '../db/index.js';
import { AppError, ErrorCodes } from '../errors.js';

export const GraphQLErrorCodes = Object.freeze({
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  /** The database is busy or cannot be reached: retry after `extensions.retryAfterSeconds`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Apollo Server's own codes, listed so clients find every code here. */
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const);

export type GraphQLErrorCode = (typeof GraphQLErrorCodes)[keyof typeof GraphQLErrorCodes];

type Extra = Record<string, unknown>;

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: GraphQLErrorCode, status: number, extra: Extra = {}, originalError?: Error, headers?: HeaderMap) {
    super(message, { extensions: { ...extra, code, http: { status, ...(headers ? { headers } : {}) } }, ...(originalError ? { originalError } : {}) });
  }
}

/** The base of the errors of one code that an application error maps to: its public details (`extra`) and itself (`originalError`). */
function detailedError(name: string, code: GraphQLErrorCode, status: number) {
  return class extends CodedError {
    override name = name;
    constructor(message: string, extra?: Extra, originalError?: Error) {
      super(message, code, status, extra, originalError);
    }
  };
}

/** 400: an argument, filter, cursor or option the client must fix. */
export class BadUserInputError extends detailedError('BadUserInputError', GraphQLErrorCodes.BAD_USER_INPUT, 400) {}

/** 401: an admin operation without (valid-looking) credentials. */
export class UnauthenticatedError extends CodedError {
  override name = 'UnauthenticatedError';
  constructor(message = 'this operation needs an admin token: send "Authorization: Bearer <ADMIN_TOKEN>"') {
    super(message, GraphQLErrorCodes.UNAUTHENTICATED, 401);
  }
}

/** 403: credentials were sent, but they are not the admin token. */
export class ForbiddenError extends CodedError {
  override name = 'ForbiddenError';
  constructor(message = 'the bearer token is not the admin token: this operation is refused') {
    super(message, GraphQLErrorCodes.FORBIDDEN, 403);
  }
}

/** 409: another job (seed, crunch, reset) holds the database. */
export class ConflictError extends detailedError('ConflictError', GraphQLErrorCodes.CONFLICT, 409) {}

/** 404: the thing asked for (a job, the seeded data) does not exist. */
export class NotFoundError extends detailedError('NotFoundError', GraphQLErrorCodes.NOT_FOUND, 404) {}

/** 503 with `Retry-After`: the database is busy or cannot be reached; the same request may work later. */
export class ServiceUnavailableError extends CodedError {
  override name = 'ServiceUnavailableError';
  constructor(message: string, originalError?: Error, retryAfterSeconds = RETRY_AFTER_SECONDS) {
    super(
      message,
      GraphQLErrorCodes.SERVICE_UNAVAILABLE,
      503,
      { retryAfterSeconds },
      originalError,
      new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
    );
  }
}

/** Public details of an AppError worth sending (a filter error's path and reason...). */
function publicDetails(error: AppError): Extra {
  const out: Extra = {};
  for (const key of ['reason', 'path', 'position', 'running', 'maxTimeMS'] as const) {
    if (error.details[key] !== undefined) out[key] = error.details[key];
  }
  return out;
}

/**
 * The GraphQL error for anything a resolver throws: our GraphQL errors pass through,
 * application errors get their code, a driver error meaning "busy or unreachable" is
 * SERVICE_UNAVAILABLE, anything else is returned unchanged (internal).
 */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (isUnavailableError(error)) return toGraphQLError(unavailableError(error));
  if (!(error instanceof AppError)) return error;
  switch (error.code) {
    case ErrorCodes.BAD_USER_INPUT:
      return new BadUserInputError(error.message, publicDetails(error), error);
    case ErrorCodes.CONFLICT:
      return new ConflictError(error.message, publicDetails(error), error);
    case ErrorCodes.NOT_FOUND:
      return new NotFoundError(error.message, publicDetails(error), error);
    case ErrorCodes.UNAVAILABLE: {
      const retryAfter = error.details.retryAfterSeconds;
      return new ServiceUnavailableError(error.message, error, typeof retryAfter === 'number' ? retryAfter : RETRY_AFTER_SECONDS);
    }
    default:
      return error;
  }
}
