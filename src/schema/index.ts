/** The GraphQL object and input types (type-graphql), and the scalars. */
export { ObjectIdScalar, JSONScalar, SafeIntScalar } from './scalars.js';
export { connectionOf, PageInfo } from './page-info.type.js';
export { CategorizedMonths, CategoryAmount, CrunchResult, CustomerSpending, CustomerSpendingConnection, MonthlyAmounts, SpendingDetails, toCategorizedMonths, toCategoryAmounts } from './spending.type.js';
export { CategoryMinimum, CustomerSpendingsArgs, Month, MonthMinimum, SortDirection, SpendingFilter, SpendingSort, SpendingSortField } from './spending.input.js';
export { SeedInput } from './seed.input.js';
export { JobError, PhaseProgress, PhaseState, SeedCounts, SeedJob, SeedJobStatus, SeedOptions, SeedPhase, SeedTimings, WrittenCounts } from './seed-job.type.js';
export { CollectionCount, ResetArgs, ResetResult } from './reset.type.js';
export { Cart, CartLine, Order, OrderConnection, Product, ProductConnection, User, UserConnection, UserDetails } from './store.type.js';
export { OrdersArgs, PageArgs, ProductsArgs, UsersArgs } from './page.args.js';
