/**
 * The size of a durable engine's document cache (storage/doc-cache.ts): `--cache-size`,
 * DATADRAGON_CACHE_SIZE or `cacheSize` in the config file, as bytes or with a unit
 * (`512MB`, `2GiB`, `16KiB`); by default, as WiredTiger's, half of the machine's memory less
 * 1 GiB, and no less than 256 MiB. And the heap the engine's executor thread may use, which
 * follows from it (engineHeapLimits).
 */
import os from 'node:os';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
const MIN_DEFAULT = 256 * MIB;
/** Below this the engine would decode nearly every document it reads; allowed (tests use 16 KiB), never a default. */
const SMALLEST = 4 * 1024;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: MIB,
  mb: MIB,
  mib: MIB,
  g: GIB,
  gb: GIB,
  gib: GIB,
  t: 2 ** 40,
  tb: 2 ** 40,
  tib: 2 ** 40,
};

export function defaultCacheSize(totalMemory = os.totalmem()): number {
  return Math.max(MIN_DEFAULT, Math.floor((totalMemory - GIB) / 2));
}

/** Bytes from `512MB`, `1.5GiB`, `16384`...; units are powers of 1024, as mongod's cacheSizeGB. */
export function parseCacheSize(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= SMALLEST) return Math.floor(text);
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
    const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
    if (match && unit !== undefined) {
      const bytes = Math.floor(Number(match[1]) * unit);
      if (bytes >= SMALLEST) return bytes;
    }
  }
  throw new Error(`the cache size ${JSON.stringify(String(text))} is not a size of at least 4 KiB: give bytes or a size with a unit, e.g. 512MB or 2GiB`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${Math.round(bytes / MIB)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Heap the executor's thread may use, beyond its document cache, on a data directory: what
 * commands work on (a batch, a slice's groups, an ordered view, a step of an $out, an index
 * build's sorted entries: 2.7M carts of a 1M-user seed did not fit in 512 MiB), and the
 * conversion of an old data directory. DATADRAGON_COMMAND_HEAP_MIB, a whole number of MiB.
 */
export function commandHeapMiB(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 1024;
  const mib = Number(text);
  if (!Number.isInteger(mib) || mib < 64)
    throw new Error(
      `DATADRAGON_COMMAND_HEAP_MIB: "${text}" is not a whole number of MiB of at least 64 (the engine's heap beyond its document cache; default 1024)`,
    );
  return mib;
}

/** The engine's setting: DATADRAGON_COMMAND_HEAP_MIB, or the default. */
export function commandHeapSetting(): number {
  return commandHeapMiB(process.env.DATADRAGON_COMMAND_HEAP_MIB);
}

/**
 * Heap limits for the executor's thread. In memory the documents are the heap: most of the
 * machine's memory. On a data directory they live in LMDB, and the heap holds the document
 * cache and what commands work on; left to itself V8 lets the heap grow far past what is live
 * before it collects (measured at 500,000 users with a 512 MiB cache: 2.3 GiB, of which
 * 0.7–0.9 GiB was live), so it is held to the cache and `commandHeapSetting()`, and collects sooner.
 * Read when an engine starts (not when this module loads: a bad value refuses the engine's
 * start, not every command that imports the engine).
 */
export function engineHeapLimits(
  engine: { durable: boolean; cacheSize: number },
  totalMemory = os.totalmem(),
  commandHeap = commandHeapSetting(),
): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  if (!engine.durable) return { maxOldGenerationSizeMb: Math.floor((totalMemory * 0.75) / MIB), maxYoungGenerationSizeMb: 192 };
  return { maxOldGenerationSizeMb: Math.ceil(engine.cacheSize / MIB) + commandHeap, maxYoungGenerationSizeMb: 64 };
}
