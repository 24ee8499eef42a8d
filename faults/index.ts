/**
 * `npm run faults [-- suite...]`: the fault suite. Each suite attacks a server it starts
 * itself, on loopback only, within a time budget (FAULTS_SECONDS, default 120, shared by the
 * suites run), and reports figures (printed, and written as JSON under faults/results/) and
 * failures (exit 1 when there is any).
 *
 * Suites: `graphql` (graphql.faults.ts) and `engine` (engine.faults.ts: a malformed-frame
 * fuzzer, 50 concurrent clients, kill -9 under concurrent writers, disk full). Each is an
 * async function of a `FaultContext` returning a `FaultReport`.
 */
import { engineFaults } from './engine.faults.js';
import { graphqlFaults } from './graphql.faults.js';
import { printTable, writeFaultResults, type FaultReport } from './report.js';

export interface FaultContext {
  /** When the suite must be done (ms since the epoch); a suite checks it between attacks. */
  deadline: number;
  log: (line: string) => void;
}

const SUITES: Record<string, (context: FaultContext) => Promise<FaultReport>> = {
  graphql: graphqlFaults,
  engine: engineFaults,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !(name in SUITES));
if (unknown.length) {
  console.error(`unknown fault suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const seconds = Number(process.env.FAULTS_SECONDS ?? 120);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`FAULTS_SECONDS must be a positive number of seconds, got ${process.env.FAULTS_SECONDS}`);
  process.exit(2);
}
const names = wanted.length ? wanted : Object.keys(SUITES);
const started = Date.now();
const total: FaultReport = { figures: [], failures: [] };
for (const [index, name] of names.entries()) {
  // each suite gets an equal share of what is left
  const deadline = Date.now() + (started + seconds * 1000 - Date.now()) / (names.length - index);
  console.error(`faults: running ${name} (until ${new Date(deadline).toISOString()})...`);
  try {
    const report = await SUITES[name]!({ deadline, log: (line) => console.error(`faults: ${name}: ${line}`) });
    total.figures.push(...report.figures);
    total.failures.push(...report.failures.map((failure) => `${name}: ${failure}`));
  } catch (error) {
    total.failures.push(`${name}: the suite itself failed: ${(error as Error).stack ?? String(error)}`);
  }
}
printTable(total.figures);
console.log(`\nwritten: ${writeFaultResults(total, { seconds: Math.round((Date.now() - started) / 1000) })}`);
if (total.failures.length) {
  console.log(`\n${total.failures.length} failure(s):\n${total.failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log('\nno failures');
