/**
 * The ready-made operations of the playground (one tab each), in the order a newcomer runs
 * them: seed, follow the job, crunch, then the queries; reset last. GraphiQL names a tab after
 * its operation, so `title` is the operation's name, and a comment that sends the reader to
 * another tab names it so ("the SeedJob tab"). A test validates every one against the schema,
 * and the names the comments use.
 *
 * The playground's script fills in the ids: the SeedJob tab gets the job id after a seed, the
 * OneCustomer tab a crunched customer's id (public/playground/playground.js).
 */
export interface ExampleOperation {
  /** The operation's name: GraphiQL's tab title. */
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Admin mutations: the playground pre-fills the Authorization header when a token is required. */
  admin: boolean;
}

/** A well-formed customer id that no customer has: the OneCustomer tab's until one is crunched. */
export const PLACEHOLDER_CUSTOMER_ID = '000000000000000000000000';

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    title: 'Seed',
    admin: true,
    query: `# Start here. Press the ▶ button (or Ctrl-Enter); open "Docs" (top left) for every type and field.
# Admin: starts seeding customers, products, carts and orders in the background and returns
# the job at once. Then run the SeedJob tab: it already holds this job's id.
mutation Seed($input: SeedInput) {
  seedDatabase(input: $input) {
    id
    status
    options { users maxOrders products year seed workers }
  }
}`,
    variables: { input: { users: 800, maxOrders: 6 } },
  },
  {
    title: 'SeedJob',
    admin: false,
    query: `# The seed job's progress: run it again until status is SUCCEEDED (seedJobs lists every job).
# The id is filled in when you run the Seed tab. Then run the Crunch tab.
query SeedJob($id: ID!) {
  seedJob(id: $id) {
    id
    status
    phase
    progress { phase state done total fraction seconds }
    written { users carts orders }
    counts { users products carts orders }
    timings { products activity split indexes total }
    ordersPerSecond
    error { code message }
  }
}`,
    variables: { id: 'run the Seed tab first' },
  },
  {
    title: 'Crunch',
    admin: true,
    query: `# Admin: starts building customer_spending for one year (default: the year of the newest order),
# the spending per customer, month and category that the queries after it (and /dashboard) read,
# and returns the job at once. Then run the CrunchJob tab: it already holds this job's id.
mutation Crunch {
  crunchSpending {
    id
    status
    progress { phase unit done total }
  }
}`,
  },
  {
    title: 'CrunchJob',
    admin: false,
    query: `# The crunch job's progress: run it again until status is SUCCEEDED (jobs lists every job;
# cancelJob stops one). The id is filled in when you run the Crunch tab.
query CrunchJob($id: ID!) {
  crunchJob(id: $id) {
    id
    status
    phase
    progress { phase unit state done total fraction seconds }
    result { year customers customersWithOrders orders totalSpend seconds }
    error { code message }
  }
  spendingStatus { year crunchedAt stale reason }
}`,
    variables: { id: 'run the Crunch tab first' },
  },
  {
    title: 'CustomerSpendings',
    admin: false,
    query: `# The crunched spending per customer, a page at a time (after the Seed and Crunch tabs).
query CustomerSpendings($filter: SpendingFilter, $first: Int, $after: String) {
  customerSpendings(
    filter: $filter
    sort: { field: MONTHLY_AVG_EXPENSE, direction: DESC }
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        customerId
        email
        details { firstName lastName }
        monthlyAvgExpense
        monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez }
        categorizedMonthlyAvgExpense { category amount }
      }
    }
  }
}`,
    variables: { first: 5, filter: { minMonthlyAvg: 50 } },
  },
  {
    title: 'OneCustomer',
    admin: false,
    query: `# One customer's spending, month by month and category by category. The id is a crunched
# customer's once there is one (null until then: run the Seed and Crunch tabs).
query OneCustomer($customerId: ID!) {
  customerSpending(customerId: $customerId) {
    customerId
    email
    year
    monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez }
    categorizedMonthlyExpenses { dez { category amount } }
    categorizedMonthlyAvgExpense { category amount }
  }
}`,
    variables: { customerId: PLACEHOLDER_CUSTOMER_ID },
  },
  {
    title: 'Summary',
    admin: false,
    query: `# The crunched year as a whole: what the dashboard (/dashboard) draws. Null before a crunch.
query Summary {
  spendingSummary {
    year
    customers
    customersWithSpending
    total
    months { jan fev mar abr mai jun jul ago set out nov dez }
    categories { category amount }
    averageDistribution { min max customers }
    topCustomers(first: 5) { customerId email monthlyAvgExpense }
  }
}`,
  },
  {
    title: 'Filters',
    admin: false,
    query: `# Several filters at once: each given condition must hold. "where" is a MongoDB filter on
# the stored documents (snake_case fields), as a JSON object (in variables) or as text;
# query operators only: $where and other server-side JavaScript are refused.
query Filters {
  customerSpendings(
    first: 10
    filter: {
      minMonthlyAvg: 10
      maxMonthlyAvg: 5000
      month: { month: DEZ, min: 1 }
      where: """{ "monthly_spenses.nov": { "$gte": 0 } }"""
    }
  ) {
    totalCount
    edges { cursor node { customerId email monthlyAvgExpense monthlySpenses { nov dez } } }
  }
}`,
  },
  {
    title: 'Orders',
    admin: false,
    query: `# The seeded data itself: orders with their cart, lines and products.
query Orders {
  orders(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        createdAt
        customer { email }
        cart {
          amount
          lines { quantity price amount product { title categories } }
        }
      }
    }
  }
}`,
  },
  {
    title: 'Reset',
    admin: true,
    query: `# Admin: deletes every document (collections and indexes are kept). Refused while a job runs.
mutation Reset {
  resetDatabase(confirm: true) {
    dropped
    total
    deleted { collection count }
  }
}`,
  },
];
