// The layer rules of docs/ARCHITECTURE.md (§3 and §7), as `npm run check:layers` applies them
// to src/ and test/. A unit is a set of files that may import each other freely. Layers are
// listed top first: a unit may import the units of the layers below its own, never one above it,
// and never a peer in its own layer. Another module is imported through its barrel (its
// index.ts), except for the entry file of a worker or child process, which is named by path,
// and except from the tests, which test internals.

// in-process.ts is the engine's second entry: the engine in the calling thread (tests, benches),
// kept out of index.ts so that the app's start does not load the engine it runs on a thread.
const engine = (name, files) => ({
  name,
  files,
  module: 'db/embedded',
  barrel: 'src/db/embedded/index.ts',
  entries: ['src/db/embedded/in-process.ts'],
});
const app = (name) => ({ name, files: [`src/${name}/**`], barrel: `src/${name}/index.ts` });
/** The tests may use any package: they drive every layer. */
const TESTS = 'test/*';
const suite = (name) => ({ name: `test/${name}`, files: [`test/${name}/**`], deep: true });
/** The test suites that run against a database (the suite's engine, or MONGODB_URI). */
const DATABASE_SUITES = ['test/integration', 'test/e2e', 'test/browser'];

export default {
  roots: ['src', 'test'],

  units: [
    suite('unit'),
    ...['integration', 'e2e', 'browser'].map(suite),
    // the suite's server, the per-file databases on it and a proxy to it; the seeded fixtures
    { name: 'test/database', files: ['test/global-setup.ts', 'test/helpers/{database,seeded}.ts'], deep: true, importers: DATABASE_SUITES },
    // the built CLI run as a child process: what makes a test end to end
    { name: 'test/cli', files: ['test/helpers/cli.ts'], importers: ['test/e2e'] },
    { name: 'test/helpers', files: ['test/helpers/**'], deep: true },
    app('cli'),
    app('server'),
    app('resolvers'),
    app('schema'),
    app('jobs'),
    app('read-models'),
    // defaults.ts is the seeding module's second entry: the seed's defaults without its generators, for `seed --help`.
    { ...app('seeding'), entries: ['src/seeding/defaults.ts'] },
    app('spending'),
    app('models'),
    {
      name: 'engine/host',
      ...engine('engine/host', ['src/db/embedded/{index,in-process,engine}.ts', 'src/db/embedded/host/**']),
      importers: ['db', 'cli', 'test/database', ...DATABASE_SUITES],
    },
    engine('engine/connections', ['src/db/embedded/wire/{connection,guard,server}.ts']),
    engine('engine/commands', ['src/db/embedded/commands/**', 'src/db/embedded/dispatch.ts']),
    engine('engine/auth', ['src/db/embedded/auth/**']),
    engine('engine/aggregate', ['src/db/embedded/aggregate/**']),
    engine('engine/query', ['src/db/embedded/query/**']),
    engine('engine/persistence', ['src/db/embedded/persistence/**']),
    engine('engine/storage', ['src/db/embedded/storage/**']),
    engine('engine/base', ['src/db/embedded/{errors,library-errors}.ts', 'src/db/embedded/{wire,limits}/**']),
    { name: 'db', files: ['src/db/*.ts'], barrel: 'src/db/index.ts' },
    { name: 'config', files: ['src/config.ts'] },
    { name: 'errors', files: ['src/errors.ts'] },
    // small helpers that import nothing of the application: a bounded cache, the package's own metadata
    { name: 'utilities', files: ['src/{lru,package}.ts'] },
  ],

  layers: [
    ['test/unit', ...DATABASE_SUITES], // the suites: each on its own, sharing only test/helpers
    ['test/database', 'test/cli'],
    ['test/helpers'],
    ['cli'], // the entry point: the command line
    ['server'], // HTTP, Apollo Server, auth, the playground and the dashboard
    ['resolvers'], // GraphQL resolvers: thin calls into the services
    ['schema'], // GraphQL object and input types
    ['jobs', 'read-models'], // application services: long-running jobs; the API's read models
    ['seeding', 'spending'], // domain services: generate and split; crunch and query
    ['models', 'db'], // collections and indexes; which database, and the connection
    ['config'], // options from flags, environment and file
    ['errors'], // the application's error classes
    ['utilities'],
    // the embedded engine: a MongoDB server that imports nothing of the application above
    ['engine/host'], // the TCP server, the engine's threads (host/: front, executor, their start), the barrel
    ['engine/connections'], // one client connection: framing, its guard and session
    ['engine/commands'], // one file per command, the dispatcher
    ['engine/auth'], // users and authentication
    ['engine/aggregate'], // pipelines, native stages, $out/$merge
    ['engine/query'], // filters, updates, the planner, ordered reads
    ['engine/persistence'], // the stores (in memory, on disk) that implement storage's interfaces
    ['engine/storage'], // collections, indexes, records, cursors, and the interfaces a store implements
    ['engine/base'], // the wire codec and protocol limits, the engine's errors
  ],

  // Which units may use a package (the tests may use any); `valueOnly`: type imports do not count.
  packages: [
    {
      packages: ['mongodb', 'mongoose', 'mongodb-memory-server-core'],
      notFrom: ['engine/*'],
      why: 'the engine is a server; it never depends on a client driver',
    },
    {
      packages: ['mingo', 'better-sqlite3'],
      onlyFrom: ['engine/*', TESTS],
      why: 'query semantics and storage belong to the engine; the app sends its queries over the driver',
    },
    { packages: ['mongodb-memory-server-core'], onlyFrom: ['db', TESTS], why: 'starting a mongod is backend selection' },
    {
      packages: ['@as-integrations/express5', 'express', 'graphql-query-complexity'],
      onlyFrom: ['server', TESTS],
      why: 'HTTP and the GraphQL server are the server layer',
    },
    { packages: ['@apollo/server'], onlyFrom: ['server', 'resolvers', TESTS], why: "Apollo Server is the server's, and the resolvers' error types" },
    { packages: ['type-graphql', 'graphql', 'graphql-scalars'], onlyFrom: ['server', 'resolvers', 'schema', TESTS], why: 'GraphQL stays out of the services' },
    { packages: ['commander', 'cli-progress'], onlyFrom: ['cli', TESTS], why: 'argument parsing and progress bars are the command line' },
    { packages: ['@faker-js/faker'], onlyFrom: ['seeding', TESTS], why: 'only the generators make data up' },
    { packages: ['node:child_process'], onlyFrom: ['seeding', TESTS], why: 'the seed worker pool is the one place that forks' },
    {
      packages: ['mongodb', 'mongoose', 'mongodb-memory-server-core'],
      notFrom: ['test/unit'],
      valueOnly: true,
      why: 'unit tests touch no database (test/integration does, through the driver)',
    },
  ],

  // Known violations, each with what removes it: the list only shrinks. Delete an entry when
  // the check reports it stale; never add one for new code.
  allow: [
    // layer: arrows that point up
    {
      rule: 'layer',
      from: 'src/db/embedded/storage/index-spec.ts',
      to: 'src/db/embedded/query/mingo-context.ts',
      removedBy:
        "storage/ taking a compiled partial-filter matcher from its caller (the catalog given a filter compiler by the engine) instead of importing query/'s mingo",
    },
  ],
};
