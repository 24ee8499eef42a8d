/**
 * No client stalls the others (issue 16): one client runs long commands (an aggregation, a
 * large insertMany, a $group, an updateMany) on a durable `datadragon db` while another pings
 * and finds by `_id` throughout (the bench's probe, bench/responsiveness.ts). A failure: a
 * long command during which no quick command was answered, or a find by `_id` that did not
 * see the document written before. The latencies are figures, with issue 16's bound as target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeAll, probeFigures } from '../../bench/responsiveness.bench.js';
import type { FaultReport } from '../report.js';
import { startEngineProcess } from './engine-process.js';

export async function responsivenessScenario(log: (line: string) => void): Promise<FaultReport> {
  const failures: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-faults-responsive-'));
  const engine = await startEngineProcess(['--data-dir', dataDir]);
  try {
    const probes = await probeAll(engine.uri, 1000, 'faults_responsive');
    for (const probe of probes) {
      log(`  ${probe.command}: ${probe.answeredDuring} quick answers during its ${Math.round(probe.longMs)} ms`);
      if (probe.answeredDuring === 0)
        failures.push(`responsiveness: no ping or find by _id was answered during the ${probe.command} (${Math.round(probe.longMs)} ms)`);
      if (probe.missedMarks > 0)
        failures.push(`responsiveness: ${probe.missedMarks} finds by _id during the ${probe.command} did not see the document written before`);
    }
    return { figures: probeFigures('engine', 'responsiveness', probes, true), failures };
  } finally {
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
