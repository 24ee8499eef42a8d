/**
 * `@Authorized()` fields (the admin mutations) pass only for an admin caller. Refusals throw
 * our own errors: UNAUTHENTICATED when no usable credentials were sent, FORBIDDEN when a
 * token was sent and is not the admin token.
 */
import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import type { GraphQLContext } from './context.js';

export const adminAuthChecker: AuthChecker<GraphQLContext> = ({ context }) => {
  switch (context.access) {
    case 'admin':
    case 'open':
      return true;
    case 'missing':
      throw new UnauthenticatedError();
    case 'malformed':
      throw new UnauthenticatedError('the Authorization header must be "Bearer <ADMIN_TOKEN>"');
    case 'wrong':
      throw new ForbiddenError();
  }
};
