/**
 * The seed options' defaults, with no heavy imports: the CLI's `--help` shows them without
 * loading the generators. (options.ts validates against them; a unit test checks that the
 * catalogue's and the names' own defaults are these.)
 */
export const SEED_DEFAULTS = Object.freeze({
  users: 800,
  maxOrders: 6,
  products: 500,
  batchSize: 1000,
  locale: 'pt_BR',
  keepActivity: false,
});
