/** The resolvers (thin: they call the services) and what the server needs to run them. */
// Import order is schema order (type-graphql registers as modules load): spending, summaries, jobs, crunch, seeding, reset, exploring.
import { SpendingResolver } from './spending.resolver.js';
import { SummaryResolver } from './summary.resolver.js';
import { JobsResolver } from './jobs.resolver.js';
import { CrunchResolver } from './crunch.resolver.js';
import { SeedResolver } from './seed.resolver.js';
import { ResetResolver } from './reset.resolver.js';
import { CartLineResolver, OrderResolver, StoreResolver } from './store.resolver.js';

export { adminAuthChecker } from './auth-checker.js';
export type { AdminAccess, GraphQLContext } from './context.js';
export { createLoaders, type Loaders } from './loaders.js';
export {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  type GraphQLErrorCode,
  GraphQLErrorCodes,
  NotFoundError,
  ServiceUnavailableError,
  toGraphQLError,
  UnauthenticatedError,
} from './errors.js';
export type { ApiRootValue } from './time-limit.js';

/** Every resolver class of the schema. */
export const RESOLVERS = [
  SpendingResolver,
  SummaryResolver,
  JobsResolver,
  CrunchResolver,
  SeedResolver,
  ResetResolver,
  StoreResolver,
  OrderResolver,
  CartLineResolver,
] as const;
