/**
 * The spending dashboard: the crunched year at a glance (per month, per category, the spread
 * of customers' monthly averages, the top customers) and one customer's year, found by email
 * or customer id. Configured by the JSON in <script id="dashboard-config">, which the server
 * writes (src/server/dashboard.ts).
 */
import {
  ApiError,
  crunch,
  loadCustomer,
  loadSpendingStatus,
  loadStoreCounts,
  loadSummary,
  MONTHS,
  searchCustomers,
  seedJob,
  startSeed,
  type CategoryAmount,
  type CustomerDetail,
  type CustomerRow,
  type SpendingStatus,
  type SpendingSummary,
} from './api.js';
import { barChart, COLORS } from './charts.js';
import { byId, dataTable, fill, h, tableOnDemand } from './dom.js';
import { bucketLabel, count, MONTH_NAMES, MONTH_SHORT, reais } from './format.js';

interface DashboardConfig {
  endpoint: string;
  playground: string;
  /** Admin mutations need a token: the page then offers the commands only, not the buttons. */
  tokenRequired: boolean;
}

const config = JSON.parse(byId('dashboard-config').textContent ?? '{}') as DashboardConfig;
const main = byId('content');

function setStatus(text: string, kind: 'info' | 'error' = 'info'): void {
  const status = byId('status');
  status.className = `status ${kind}`;
  status.textContent = text;
  status.hidden = text === '';
}

const messageOf = (error: unknown): string => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

/** A chart in a figure with its heading, its canvas and its figures as a table on demand. */
function chartSection(
  id: string,
  title: string,
  note: string | null,
  table: HTMLTableElement,
  draw: (canvas: HTMLCanvasElement) => void,
  tall = false,
): HTMLElement {
  const canvas = h('canvas', { id: `${id}-chart` });
  const section = h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    note ? h('p', { class: 'note' }, note) : null,
    h('div', { class: tall ? 'chart tall' : 'chart' }, canvas),
    tableOnDemand(table),
  );
  queueMicrotask(() => draw(canvas));
  return section;
}

function figure(label: string, value: string, detail?: string): HTMLElement {
  return h('div', { class: 'figure' }, h('dt', {}, label), h('dd', {}, value, detail ? h('span', { class: 'detail' }, detail) : null));
}

const percent = (part: number, whole: number): string => (whole === 0 ? '0 %' : `${Math.round((part / whole) * 100)} %`);

function monthsSection(id: string, title: string, months: Record<(typeof MONTHS)[number], number>, color: string, who: string): HTMLElement {
  const values = MONTHS.map((key) => months[key]);
  const busiest = values.indexOf(Math.max(...values));
  const description = `${title}: a bar per month, January to December; the highest is ${MONTH_NAMES[busiest]} with ${reais(values[busiest] ?? 0)}.`;
  const table = dataTable(
    `${title} (${who})`,
    ['Month', 'Spent'],
    MONTHS.map((_, i) => [MONTH_NAMES[i]!, reais(values[i]!)]),
    [false, true],
  );
  return chartSection(id, title, null, table, (canvas) => barChart(canvas, { labels: MONTH_SHORT, values, color, unit: 'money', description }));
}

/** Bars a category chart draws: the largest ones, the rest as one "other" bar (the table lists every one). */
const CHART_CATEGORIES = 12;

function categoriesSection(id: string, title: string, categories: readonly CategoryAmount[], color: string): HTMLElement {
  const shown = categories.slice(0, CHART_CATEGORIES);
  const rest = categories.slice(CHART_CATEGORIES);
  const labels = shown.map((c) => c.category);
  const values = shown.map((c) => c.amount);
  const others = reais(Math.round(rest.reduce((sum, c) => sum + c.amount, 0) * 100) / 100);
  const description =
    categories.length === 0
      ? `${title}: nothing spent.`
      : `${title}: a bar per category for the ${count(shown.length)} largest, largest first; the largest is ${categories[0]!.category} with ${reais(categories[0]!.amount)}.`;
  const table = dataTable(
    `${title}: all ${count(categories.length)} categories`,
    ['Category', 'Spent'],
    categories.map((c) => [c.category, reais(c.amount)]),
    [false, true],
  );
  const note = `${rest.length > 0 ? `The ${CHART_CATEGORIES} largest of ${count(categories.length)} categories (the other ${count(rest.length)} together: ${others}; the table lists them all). ` : ''}A line counts in every category of its product, so the categories add up to more than the total.`;
  return chartSection(id, title, note, table, (canvas) => barChart(canvas, { labels, values, color, unit: 'money', horizontal: true, description }), true);
}

function customerRowsTable(caption: string, rows: readonly CustomerRow[], onOpen: (row: CustomerRow) => void): HTMLTableElement {
  const table = h(
    'table',
    { class: 'data customers' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Customer'), h('th', { scope: 'col' }, 'Email'), h('th', { scope: 'col', class: 'num' }, 'Monthly average')),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) => {
        const open = h('button', { type: 'button', class: 'link', 'data-customer-id': row.customerId }, `${row.details.firstName} ${row.details.lastName}`);
        open.addEventListener('click', () => onOpen(row));
        return h('tr', {}, h('th', { scope: 'row' }, open), h('td', { class: 'email' }, row.email), h('td', { class: 'num' }, reais(row.monthlyAvgExpense)));
      }),
    ),
  );
  return table;
}

// --- one customer ------------------------------------------------------------------------

/** The year total per category from the customer's months (largest first). */
function yearByCategory(customer: CustomerDetail): CategoryAmount[] {
  const totals = new Map<string, number>();
  for (const key of MONTHS)
    for (const { category, amount } of customer.categorizedMonthlyExpenses[key]) totals.set(category, (totals.get(category) ?? 0) + amount);
  return [...totals]
    .map(([category, amount]) => ({ category, amount: Math.round(amount * 100) / 100 }))
    .sort((a, b) => b.amount - a.amount || (a.category < b.category ? -1 : 1));
}

function customerSection(): HTMLElement {
  const input = h('input', {
    id: 'customer-term',
    name: 'term',
    type: 'search',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'e.g. maria or 64f1…',
    'aria-describedby': 'customer-help',
  });
  const form = h(
    'form',
    { role: 'search', class: 'search', 'aria-labelledby': 'customer-title' },
    h('label', { for: 'customer-term' }, 'Email or customer id'),
    input,
    h('button', { type: 'submit' }, 'Search'),
    h('p', { id: 'customer-help', class: 'note' }, 'The start of an email address (any case), or a customer id (24 hexadecimal digits).'),
  );
  const results = h('div', { id: 'customer-results', 'aria-live': 'polite' });
  const detail = h('div', { id: 'customer-detail' });
  const section = h(
    'section',
    { class: 'panel wide', id: 'customer', 'aria-labelledby': 'customer-title' },
    h('h2', { id: 'customer-title' }, 'One customer'),
    form,
    results,
    detail,
  );

  const open = async (customerId: string): Promise<void> => {
    detail.replaceChildren(h('p', { class: 'note' }, 'Loading…'));
    try {
      const customer = await loadCustomer(config.endpoint, customerId);
      if (!customer) {
        detail.replaceChildren(h('p', { class: 'status error' }, `No crunched spending for customer ${customerId}.`));
        return;
      }
      const name = `${customer.details.firstName} ${customer.details.lastName}`;
      const total = MONTHS.reduce((sum, key) => sum + customer.monthlySpenses[key], 0);
      detail.replaceChildren(
        h('h3', { id: 'customer-name', tabindex: '-1' }, name),
        h('p', { class: 'note' }, `${customer.email} · customer id ${customer.customerId} · ${customer.year}`),
        h(
          'dl',
          { class: 'figures' },
          figure('Spent in the year', reais(Math.round(total * 100) / 100)),
          figure('Monthly average', reais(customer.monthlyAvgExpense)),
        ),
        h(
          'div',
          { class: 'pair' },
          monthsSection('customer-months', `${name}: spending per month`, customer.monthlySpenses, COLORS.customer, customer.email),
          categoriesSection('customer-categories', `${name}: spending per category`, yearByCategory(customer), COLORS.customer),
        ),
      );
      byId('customer-name').focus();
    } catch (error) {
      detail.replaceChildren(h('p', { class: 'status error' }, messageOf(error)));
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const term = input.value.trim();
    if (term === '') return;
    results.replaceChildren(h('p', { class: 'note' }, 'Searching…'));
    searchCustomers(config.endpoint, term)
      .then((found) => {
        if (found.length === 0) {
          results.replaceChildren(h('p', { class: 'status error' }, `No customer's email starts with "${term}", and no customer has that id.`));
          detail.replaceChildren();
          return;
        }
        results.replaceChildren(
          found.length === 1
            ? ''
            : customerRowsTable(`${found.length === 10 ? 'The first 10' : found.length} customers found`, found, (row) => void open(row.customerId)),
        );
        if (found.length === 1) void open(found[0]!.customerId);
        else detail.replaceChildren();
      })
      .catch((error: unknown) => results.replaceChildren(h('p', { class: 'status error' }, messageOf(error))));
  });

  Object.assign(section, { openCustomer: open });
  return section;
}

// --- the whole year ----------------------------------------------------------------------

function staleBanner(status: SpendingStatus): HTMLElement {
  const when = status.crunchedAt ? ` (crunched ${new Date(status.crunchedAt).toLocaleString('en-US')})` : '';
  return h(
    'p',
    { class: 'status warning', role: 'status', id: 'stale' },
    `The data changed since the last crunch${when}: these figures are of the previous data. Run `,
    h('code', {}, 'npx datadragon crunch'),
    ' to bring them up to date.',
    config.tokenRequired ? null : crunchButton('Crunch now'),
  );
}

function renderSummary(summary: SpendingSummary, status: SpendingStatus | null): void {
  const customer = customerSection();
  const openCustomer = (customer as HTMLElement & { openCustomer(id: string): Promise<void> }).openCustomer;
  const buckets = summary.averageDistribution;
  const distributionTable = dataTable(
    'Customers per monthly average (reais)',
    ['Monthly average (R$)', 'Customers', 'Share'],
    buckets.map((b) => [bucketLabel(b.min, b.max), count(b.customers), percent(b.customers, summary.customers)]),
    [false, true, true],
  );
  const largest = buckets.reduce((best, b) => (b.customers > best.customers ? b : best), buckets[0] ?? { min: 0, max: null, customers: 0 });
  const distributionDescription = `Customers per monthly average, in buckets of reais from nothing upwards; the largest bucket is ${bucketLabel(largest.min, largest.max)} with ${count(largest.customers)} customers.`;
  const top = h(
    'section',
    { class: 'panel', id: 'top', 'aria-labelledby': 'top-title' },
    h('h2', { id: 'top-title' }, `Top ${summary.topCustomers.length} customers`),
    h('p', { class: 'note' }, 'By monthly average; a name opens the customer below.'),
    customerRowsTable('The customers with the highest monthly average', summary.topCustomers, (row) => {
      (byId('customer-term') as HTMLInputElement).value = row.email;
      void openCustomer(row.customerId);
    }),
  );
  const mean = summary.customers === 0 ? 0 : summary.total / 12 / summary.customers;
  fill(
    main,
    h('h1', { id: 'title' }, `Spending in ${summary.year}`),
    status?.stale ? staleBanner(status) : null,
    h(
      'dl',
      { class: 'figures', id: 'overview' },
      figure('Spent in the year', reais(summary.total)),
      figure('Customers', count(summary.customers)),
      figure('Customers who spent', count(summary.customersWithSpending), ` (${percent(summary.customersWithSpending, summary.customers)})`),
      figure('Mean monthly average', reais(Math.round(mean * 100) / 100)),
    ),
    h(
      'div',
      { class: 'grid' },
      monthsSection('months', 'Spending per month', summary.months, COLORS.money, 'every customer'),
      categoriesSection('categories', 'Spending per category', summary.categories, COLORS.category),
      chartSection(
        'distribution',
        "Customers' monthly averages",
        'How many customers spend how much a month, on average over the year.',
        distributionTable,
        (canvas) =>
          barChart(canvas, {
            labels: buckets.map((b) => bucketLabel(b.min, b.max)),
            values: buckets.map((b) => b.customers),
            color: COLORS.customers,
            unit: 'count',
            description: distributionDescription,
          }),
      ),
      top,
      customer,
    ),
  );
}

// --- nothing crunched yet ------------------------------------------------------------------

function crunchButton(label: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'action' }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    setStatus('Crunching the spending…');
    crunch(config.endpoint)
      .then(() => show())
      .catch((error: unknown) => {
        button.disabled = false;
        setStatus(`The crunch failed: ${messageOf(error)}`, 'error');
      });
  });
  return button;
}

const DEMO_USERS = 800;

function seedButton(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'action' }, `Seed ${count(DEMO_USERS)} customers, then crunch`);
  button.addEventListener('click', () => {
    button.disabled = true;
    const fail = (error: unknown): void => {
      button.disabled = false;
      setStatus(`The seed failed: ${messageOf(error)}`, 'error');
    };
    const poll = (id: string): void => {
      seedJob(config.endpoint, id)
        .then((job) => {
          if (!job) throw new Error(`the seed job ${id} is gone`);
          if (job.status === 'RUNNING') {
            const phase = job.progress.find((p) => p.phase === job.phase);
            setStatus(`Seeding: ${job.phase?.toLowerCase() ?? ''}${phase && phase.total > 0 ? ` ${count(phase.done)}/${count(phase.total)}` : ''}…`);
            setTimeout(() => poll(id), 400);
            return;
          }
          if (job.status !== 'SUCCEEDED') throw new Error(job.error?.message ?? `the seed job ended ${job.status.toLowerCase()}`);
          setStatus('Crunching the spending…');
          return crunch(config.endpoint).then(() => show());
        })
        .catch(fail);
    };
    setStatus('Starting the seed…');
    startSeed(config.endpoint, DEMO_USERS)
      .then((job) => poll(job.id))
      .catch(fail);
  });
  return button;
}

function renderEmpty(store: { users: number; orders: number }): void {
  const seeded = store.users > 0;
  const steps = seeded
    ? [
        h(
          'li',
          {},
          `The database has ${count(store.users)} customers and ${count(store.orders)} orders, but they have not been crunched yet: `,
          h('code', {}, 'npx datadragon crunch'),
        ),
      ]
    : [
        h('li', {}, 'Seed the database with customers, products, carts and orders: ', h('code', {}, 'npx datadragon seed')),
        h('li', {}, 'Crunch them into the spending per customer: ', h('code', {}, 'npx datadragon crunch')),
      ];
  fill(
    main,
    h('h1', { id: 'title' }, 'No spending to show yet'),
    h(
      'section',
      { class: 'panel wide', id: 'empty', 'aria-labelledby': 'empty-title' },
      h('h2', { id: 'empty-title' }, seeded ? 'Crunch the orders' : 'Seed, then crunch'),
      h('p', {}, 'The dashboard shows the crunched spending (the customer_spending collection), and there is none. In a terminal, in the project folder:'),
      h('ol', { class: 'steps' }, ...steps),
      h('p', {}, 'Then reload this page. The same steps are the first tabs of the ', h('a', { href: config.playground }, 'playground'), '.'),
      config.tokenRequired
        ? h(
            'p',
            { class: 'note' },
            'This server asks for the admin token for seeding and crunching: use the commands above, or the playground with the Authorization header.',
          )
        : h('p', { class: 'actions' }, 'Or from here: ', seeded ? crunchButton('Crunch now') : seedButton()),
    ),
  );
}

async function show(): Promise<void> {
  setStatus('Loading the figures…');
  try {
    const [summary, status] = await Promise.all([loadSummary(config.endpoint), loadSpendingStatus(config.endpoint)]);
    if (summary) renderSummary(summary, status);
    else renderEmpty(await loadStoreCounts(config.endpoint));
    setStatus('');
  } catch (error) {
    setStatus(`The figures could not be loaded: ${messageOf(error)}`, 'error');
  }
}

void show();
