/** Reading the data for the API: cursor pagination, spending pages, the seeded collections. */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Direction, type Page, type PageInfo } from './cursor.js';
export {
  buildSpendingFilter,
  escapeRegex,
  pageSpending,
  SPENDING_SORT_PATHS,
  spendingById,
  spendingSortPath,
  type SpendingFilterInput,
  type SpendingPageQuery,
  type SpendingSortField,
} from './spending-page.js';
export { cartsByIds, getOrder, getProduct, listOrders, listProducts, listUsers, productsByIds, usersByCustomerIds, type PageArgs } from './store.js';
