/** The executor thread's heap limits: the documents' heap in memory, the cache and room for commands on a data directory. */
import { describe, expect, it } from 'vitest';
import { commandHeapMiB, engineHeapLimits } from '../../../../../src/db/embedded/storage/cache-size.js';

const GIB = 2 ** 30;

describe('engineHeapLimits', () => {
  it('gives an engine in memory most of the machine: its documents are the heap', () => {
    expect(engineHeapLimits({ durable: false, cacheSize: 0 }, 16 * GIB).maxOldGenerationSizeMb).toBe(12 * 1024);
  });

  it('holds a durable engine to its document cache and the room commands need, whatever the machine', () => {
    const limits = engineHeapLimits({ durable: true, cacheSize: 512 * 2 ** 20 }, 64 * GIB, 1024);
    expect(limits.maxOldGenerationSizeMb).toBe(512 + 1024);
    expect(limits.maxYoungGenerationSizeMb).toBeLessThan(engineHeapLimits({ durable: false, cacheSize: 0 }, 64 * GIB).maxYoungGenerationSizeMb);
    expect(engineHeapLimits({ durable: true, cacheSize: 2 * GIB }, 64 * GIB, 300).maxOldGenerationSizeMb).toBe(2048 + 300);
  });
});

describe('DATADRAGON_COMMAND_HEAP_MIB', () => {
  it('is 1024 MiB unless set, and a whole number of at least 64 when set', () => {
    expect(commandHeapMiB(undefined)).toBe(1024);
    expect(commandHeapMiB(' ')).toBe(1024);
    expect(commandHeapMiB('2048')).toBe(2048);
    for (const bad of ['-100', '1.5', 'abc', '10'])
      expect(() => commandHeapMiB(bad), bad).toThrow(/DATADRAGON_COMMAND_HEAP_MIB: ".*" is not a whole number of MiB/);
  });
});
