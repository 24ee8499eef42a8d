/**
 * The embedded engine under faults, against `datadragon db` processes it
 * starts on 127.0.0.1, through the official driver and raw sockets only:
 * - a seeded fuzzer of malformed frames and random commands (engine/fuzz.ts);
 * - 50 concurrent writers and readers with exact counts (engine/concurrency.ts);
 * - repeated kill -9 of a durable engine under four writers with random write concerns, then
 *   every acknowledged `j: true` write checked, and default writes older than 100 ms (engine/kill9.ts);
 * - disk full on a small tmpfs, when running as root (engine/disk-full.ts);
 * - pings and finds by `_id` from one client while another runs long commands (engine/responsiveness.ts).
 * The time budget is shared: the fuzzer and kill -9 cycles use what the others leave.
 */
import type { FaultContext } from './index.js';
import type { FaultReport } from './report.js';
import { concurrencyScenario } from './engine/concurrency.js';
import { diskFullScenario } from './engine/disk-full.js';
import { fuzzScenario } from './engine/fuzz.js';
import { kill9Scenario } from './engine/kill9.js';
import { responsivenessScenario } from './engine/responsiveness.js';

export async function engineFaults(context: FaultContext): Promise<FaultReport> {
  const total: FaultReport = { figures: [], failures: [] };
  const add = (report: FaultReport): void => {
    total.figures.push(...report.figures);
    total.failures.push(...report.failures);
  };
  const share = (parts: number): number => Date.now() + Math.max(3_000, (context.deadline - Date.now()) / parts);
  // FAULTS_ENGINE_ONLY=<text>: only the scenarios whose name contains it (to study one)
  const only = process.env.FAULTS_ENGINE_ONLY;
  const run = async (name: string, scenario: () => Promise<FaultReport>): Promise<void> => {
    if (only && !name.includes(only)) return;
    context.log(`${name}...`);
    try {
      add(await scenario());
    } catch (error) {
      total.failures.push(`${name}: the scenario itself failed: ${(error as Error).stack ?? String(error)}`);
    }
  };
  await run('50 concurrent clients', () => concurrencyScenario(context.log));
  await run('responsiveness under long commands', () => responsivenessScenario(context.log));
  await run('disk full', () => diskFullScenario(share(3), context.log));
  await run('kill -9 under writers', () => kill9Scenario(share(2), context.log));
  await run('fuzzer', () => fuzzScenario(share(1), context.log));
  return total;
}
