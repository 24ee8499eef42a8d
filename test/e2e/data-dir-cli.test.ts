/**
 * A data directory that cannot be created stops the built CLI at once with the message that
 * says what to do, never a hang (Node's recursive mkdir spins forever under /proc). The
 * function itself: test/unit/db/data-dir.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('the data directory from the command line', () => {
  it('DATADRAGON_DATA_DIR=/proc/nope: the command fails at once with that message', async () => {
    const started = Date.now();
    const result = await runCli(['find'], {
      env: { MONGODB_URI: '', MONGOD_BINARY: '', DATADRAGON_DATA_DIR: '/proc/nope', PATH: '/usr/bin:/bin' },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/datadragon: error: cannot create the data directory \/proc\/nope/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
