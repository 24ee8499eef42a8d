/**
 * The ready-made operations of the playground (one tab each), in the order a newcomer runs
 * them: seed, poll the job, crunch, query. A test validates every one against the schema.
 */
export interface ExampleOperation {
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Admin mutations: the playground pre-fills the Authorization header when a token is required. */
  admin: boolean;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    title: 'Query customer spendings',
    admin: false,
    query: `# The crunched spending per customer, a page at a time (run "Seed" and "Crunch" first).
# Press the ▶ button (or Ctrl-Enter). Open "Docs" (top left) for every type and field.
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
    title: 'Seed the database',
    admin: true,
    query: `# Admin: starts seeding in the background and returns the job at once.
# Copy the job id into the "Poll the seed job" tab.
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
    title: 'Poll the seed job',
    admin: false,
    query: `# Run it again until status is SUCCEEDED (or look at seedJobs for every job).
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
    variables: { id: 'paste the job id here' },
  },
  {
    title: 'Crunch the spending',
    admin: true,
    query: `# Admin: builds customer_spending for one year (default: the year of the newest order).
mutation Crunch {
  crunchSpending {
    year
    customers
    customersWithOrders
    orders
    totalSpend
    seconds
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
    title: 'One customer',
    admin: false,
    query: `# One customer's spending, month by month and category by category.
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
    variables: { customerId: 'paste a customerId from the first tab' },
  },
  {
    title: 'Orders with carts',
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
