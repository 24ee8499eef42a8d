/** The GraphQL object and input types (type-graphql), and the scalars. */
// First, before any type below: their decorators need the metadata polyfill, and this barrel is
// the one way into them, whichever of the server's files loads the resolvers first.
import 'reflect-metadata';
export { ObjectIdScalar, JSONScalar, SafeIntScalar } from './scalars.js';
export { connectionOf, PageInfo } from './page-info.type.js';
export {
  CategorizedMonths,
  CategoryAmount,
  CustomerSpending,
  CustomerSpendingConnection,
  MonthlyAmounts,
  SpendingDetails,
  toCategorizedMonths,
  toCategoryAmounts,
} from './spending.type.js';
export {
  CategoryMinimum,
  CustomerSpendingsArgs,
  Month,
  MonthMinimum,
  SortDirection,
  SpendingFilter,
  SpendingSort,
  SpendingSortField,
} from './spending.input.js';
export { Job, JobError, JobKind, JobPhase, JobStatus, PhaseProgress, PhaseState, roundSeconds } from './job.type.js';
export { jobOf } from './job-of.js';
export { SeedInput } from './seed.input.js';
export { SeedCounts, SeedJob, SeedOptions, SeedTimings, WrittenCounts } from './seed-job.type.js';
export { CrunchJob, CrunchMode, CrunchRequestInfo, CrunchResult, DatasetInfo, DatasetOrigin, SpendingStatus } from './crunch-job.type.js';
export { CollectionCount, ResetArgs, ResetJob, ResetResult } from './reset.type.js';
export { Cart, CartLine, Order, OrderConnection, Product, ProductConnection, User, UserConnection, UserDetails } from './store.type.js';
export { listCost, OrdersArgs, PageArgs, pageCost, ProductsArgs, UsersArgs } from './page.args.js';
export { AverageBucket, CustomerListArgs, CustomerSearchArgs, DEFAULT_CUSTOMERS_LISTED, SpendingSummary, SpendingSummaryArgs } from './summary.type.js';
