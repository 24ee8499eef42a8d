/** Turns the services' AppErrors into the GraphQL errors clients see (codes: errors.ts). */
import type { MiddlewareFn } from 'type-graphql';
import { toGraphQLError } from './errors.js';

export const AppErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (error) {
    throw toGraphQLError(error);
  }
};
