/**
 * How the server formats the errors of a response (Apollo's `formatError`). The error classes
 * and codes are the resolvers' (src/resolvers/errors.ts), re-exported here for the server's users.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors.js';
import { GraphQLErrorCodes } from '../resolvers/index.js';

export {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  GraphQLErrorCodes,
  NotFoundError,
  ServiceUnavailableError,
  toGraphQLError,
  UnauthenticatedError,
  type GraphQLErrorCode,
} from '../resolvers/index.js';

export interface FormatErrorOptions {
  /** Show internal errors' messages (development); stacks are Apollo's `includeStacktraceInErrorResponses`. */
  development: boolean;
  log: (line: string) => void;
}

/**
 * Apollo's `formatError`: internal errors (anything thrown that is not a GraphQLError: a
 * bug, a driver error...) are logged with their stack and, outside development, answered
 * with a generic message so that no internals leak. GraphQL errors (ours, Apollo's,
 * graphql-js's) are sent as they are.
 */
export function formatErrorWith(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError) return formatted;
    const detail = original instanceof Error ? (original.stack ?? original.message) : String(original);
    options.log(`datadragon: internal error in ${formatted.path?.join('.') ?? 'a request'}: ${detail}`);
    if (options.development) return formatted;
    // A known AppError (FAILED...) has a message written for users: keep it, drop the rest.
    const message = original instanceof AppError ? original.message : 'Internal server error';
    return {
      message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: GraphQLErrorCodes.INTERNAL_SERVER_ERROR },
    };
  };
}
