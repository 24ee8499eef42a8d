/**
 * The dashboard's only way to the data: GraphQL POSTs to this server's endpoint. Every figure
 * shown comes from one of the queries below (the server computes the sums).
 */

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export async function graphql<T>(endpoint: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError(`the server at ${endpoint} does not answer: is "npm start" still running?`, 'NETWORK');
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphQLError[] };
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!response.ok || !body.data) throw new ApiError(`the server answered HTTP ${response.status}`, undefined);
  return body.data;
}

export const MONTHS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'] as const;
export type MonthKey = (typeof MONTHS)[number];
export type MonthlyAmounts = Record<MonthKey, number>;
const MONTH_FIELDS = MONTHS.join(' ');

export interface CategoryAmount {
  category: string;
  amount: number;
}

export interface AverageBucket {
  min: number;
  max: number | null;
  customers: number;
}

export interface CustomerRow {
  customerId: string;
  email: string;
  details: { firstName: string; lastName: string };
  monthlyAvgExpense: number;
}

export interface SpendingSummary {
  year: number;
  customers: number;
  customersWithSpending: number;
  total: number;
  months: MonthlyAmounts;
  categories: CategoryAmount[];
  averageDistribution: AverageBucket[];
  topCustomers: CustomerRow[];
}

export const TOP_CUSTOMERS = 10;

export async function loadSummary(endpoint: string): Promise<SpendingSummary | null> {
  const data = await graphql<{ spendingSummary: SpendingSummary | null }>(
    endpoint,
    `query DashboardSummary($top: Int!) {
      spendingSummary {
        year customers customersWithSpending total
        months { ${MONTH_FIELDS} }
        categories { category amount }
        averageDistribution { min max customers }
        topCustomers(first: $top) { customerId email details { firstName lastName } monthlyAvgExpense }
      }
    }`,
    { top: TOP_CUSTOMERS },
  );
  return data.spendingSummary;
}

/** What the database holds before any crunch: it says which step comes next. */
export async function loadStoreCounts(endpoint: string): Promise<{ users: number; orders: number }> {
  const data = await graphql<{ users: { totalCount: number }; orders: { totalCount: number } }>(
    endpoint,
    `
      query DashboardStore {
        users(first: 1) {
          totalCount
        }
        orders(first: 1) {
          totalCount
        }
      }
    `,
  );
  return { users: data.users.totalCount, orders: data.orders.totalCount };
}

export interface SpendingStatus {
  year: number | null;
  crunchedAt: string | null;
  stale: boolean;
}

/**
 * Whether the spending data is older than the data it was crunched from, when the server can
 * tell (`spendingStatus`, on servers that have it; asked by introspection first, so that an
 * older server answers without an error).
 */
export async function loadSpendingStatus(endpoint: string): Promise<SpendingStatus | null> {
  const schema = await graphql<{ __type: { fields: { name: string }[] } | null }>(
    endpoint,
    `
      query DashboardFeatures {
        __type(name: "Query") {
          fields {
            name
          }
        }
      }
    `,
  );
  if (!schema.__type?.fields.some((field) => field.name === 'spendingStatus')) return null;
  const data = await graphql<{ spendingStatus: SpendingStatus | null }>(
    endpoint,
    `
      query DashboardStatus {
        spendingStatus {
          year
          crunchedAt
          stale
        }
      }
    `,
  );
  return data.spendingStatus;
}

export interface CustomerDetail extends CustomerRow {
  year: number;
  monthlySpenses: MonthlyAmounts;
  categorizedMonthlyExpenses: Record<MonthKey, CategoryAmount[]>;
}

const CUSTOMER_FIELDS = `customerId email year details { firstName lastName } monthlyAvgExpense
  monthlySpenses { ${MONTH_FIELDS} }
  categorizedMonthlyExpenses { ${MONTHS.map((key) => `${key} { category amount }`).join(' ')} }`;

/** Customers by id or by the start of their email (the first 10). */
export async function searchCustomers(endpoint: string, term: string): Promise<CustomerRow[]> {
  const data = await graphql<{ customerSearch: CustomerRow[] }>(
    endpoint,
    `
      query DashboardSearch($term: String!) {
        customerSearch(term: $term, first: 10) {
          customerId
          email
          details {
            firstName
            lastName
          }
          monthlyAvgExpense
        }
      }
    `,
    { term },
  );
  return data.customerSearch;
}

export async function loadCustomer(endpoint: string, customerId: string): Promise<CustomerDetail | null> {
  const data = await graphql<{ customerSpending: CustomerDetail | null }>(
    endpoint,
    `query DashboardCustomer($id: ID!) { customerSpending(customerId: $id) { ${CUSTOMER_FIELDS} } }`,
    { id: customerId },
  );
  return data.customerSpending;
}

// --- the admin steps the empty dashboard offers (seed, crunch) ------------------------------

export interface SeedJobState {
  id: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  phase: string | null;
  progress: { phase: string; done: number; total: number }[];
  error: { message: string } | null;
}

const SEED_JOB_FIELDS = 'id status phase progress { phase done total } error { message }';

export async function startSeed(endpoint: string, users: number): Promise<SeedJobState> {
  const data = await graphql<{ seedDatabase: SeedJobState }>(
    endpoint,
    `mutation DashboardSeed($users: Int!) { seedDatabase(input: { users: $users }) { ${SEED_JOB_FIELDS} } }`,
    { users },
  );
  return data.seedDatabase;
}

export async function seedJob(endpoint: string, id: string): Promise<SeedJobState | null> {
  const data = await graphql<{ seedJob: SeedJobState | null }>(endpoint, `query DashboardSeedJob($id: ID!) { seedJob(id: $id) { ${SEED_JOB_FIELDS} } }`, {
    id,
  });
  return data.seedJob;
}

interface CrunchJobState {
  id: string;
  status: SeedJobState['status'];
  result: { year: number; customers: number } | null;
  error: { message: string } | null;
}

const CRUNCH_JOB_FIELDS = 'id status result { year customers } error { message }';

/**
 * Builds customer_spending (the newest year): the mutation starts a crunch job and answers at
 * once; this polls the job until it has finished.
 */
export async function crunch(endpoint: string, pollMs = 400): Promise<{ year: number; customers: number }> {
  let job = (await graphql<{ crunchSpending: CrunchJobState }>(endpoint, `mutation DashboardCrunch { crunchSpending { ${CRUNCH_JOB_FIELDS} } }`))
    .crunchSpending;
  while (job.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const next = (
      await graphql<{ crunchJob: CrunchJobState | null }>(endpoint, `query DashboardCrunchJob($id: ID!) { crunchJob(id: $id) { ${CRUNCH_JOB_FIELDS} } }`, {
        id: job.id,
      })
    ).crunchJob;
    if (!next) throw new Error('the crunch job is gone (the server restarted?)');
    job = next;
  }
  if (job.status !== 'SUCCEEDED' || !job.result) throw new Error(job.error?.message ?? `the crunch job ended ${job.status.toLowerCase()}`);
  return job.result;
}
