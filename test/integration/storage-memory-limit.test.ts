/**
 * The seed's memory limit applies to the in-memory engine only: a durable engine keeps its
 * data on disk behind a bounded cache, so no dataset is too large for this machine's memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/db/backend.js';
import { backendHoldsData, checkMemory } from '../../src/seeding/index.js';

const env = { PATH: '' }; // no MONGODB_URI, no mongod: the embedded engine
const quiet = (): void => undefined;
const huge = { users: 40_000_000, maxOrders: 6 };

describe('the memory limit of a seed', () => {
  it('refuses what the in-memory engine cannot hold, with the estimate', async () => {
    const backend = await openBackend({ env, inMemory: true, log: quiet });
    try {
      expect(backendHoldsData(backend)).toBe(true);
      expect(() => checkMemory(huge, backendHoldsData(backend))).toThrow(/needs about [\d.]+ GiB in the embedded engine.*use at most about [\d,]+ users here/);
    } finally {
      await backend.stop();
    }
  });

  it('does not apply to a durable engine, which says its cache size instead', async () => {
    const lines: string[] = [];
    const backend = await openBackend({
      env,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'dd-limit-')),
      cacheSize: '64MB',
      log: (line) => lines.push(line),
    });
    try {
      expect(backendHoldsData(backend)).toBe(false);
      expect(() => checkMemory(huge, backendHoldsData(backend))).not.toThrow();
      expect(lines.join('\n')).toContain('document cache 64 MiB');
    } finally {
      await backend.stop();
    }
  });
});
