/**
 * How a job's new collections replace the live ones: built under staging names while the
 * job runs, then swapped in at the end by a commit that either never starts (the previous
 * data stays exactly as it was) or always finishes (now, or in the next job).
 *
 * A swap is several commands (a `renameCollection` with `dropTarget` per collection, which
 * MongoDB does atomically one collection at a time, a `$merge`, writes of the state
 * documents); no server makes them atomic as a group. So the commit is journaled:
 *   1. every staging collection is complete (built and indexed) — until here, a failure or a
 *      kill leaves the live data untouched, and the staging collections are dropped by the
 *      job's cleanup or, after a kill, by the next job;
 *   2. the manifest (the list of steps) is written to `datadragon_jobs`: the commit point;
 *   3. the steps run in order; each one is idempotent (a rename whose source is gone was
 *      done; a merge replays to the same result; a state write is an upsert), so after a
 *      failure or a kill anywhere in 3, running the manifest again finishes the swap;
 *   4. the manifest is deleted.
 * `recoverSwap` (run by every job once it holds the lock, before anything else) finishes a
 * manifest left behind and drops staging collections no manifest needs.
 */
import type { Db } from 'mongodb';
import { STATE_COLLECTION, type StateDoc, type StateId } from '../models/index.js';
import { JOBS_COLLECTION } from './lock.js';

const MANIFEST_ID = 'swap';
/** Every staging collection's name starts with this, then the job's staging id. */
export const STAGING_PREFIX = 'datadragon_staging_';
/** A staging collection of an earlier datadragon (before staging names had a prefix). */
const LEGACY_STAGING = ['products_staging'];

/** `datadragon_staging_<id>_<name>`: the staging copy of `name` for one job. */
export function stagingName(stagingId: string, name: string): string {
  return `${STAGING_PREFIX}${stagingId}_${name}`;
}

/** One step of a swap. */
export type SwapStep =
  /** `from` (a staging collection) becomes `to`, replacing it: renameCollection with dropTarget. */
  | { op: 'replace'; from: string; to: string }
  /** `from`'s documents are merged into `into` by `_id` (replacing or inserting), then `from` is dropped. */
  | { op: 'merge'; from: string; into: string }
  /** `name` is dropped (a collection the new data makes wrong). */
  | { op: 'drop'; name: string }
  /** A state document is written (replaced whole). */
  | { op: 'put'; doc: StateDoc }
  /** A state document is deleted. */
  | { op: 'remove'; id: StateId }
  /** Documents of a bookkeeping collection are deleted by `_id` (the records of parts put together). */
  | { op: 'delete'; from: string; ids: string[] };

export interface SwapManifest {
  _id: typeof MANIFEST_ID;
  /** The job that wrote it. */
  job: string;
  at: Date;
  steps: SwapStep[];
}

/** Test hooks: called before step `index` (0 … steps.length − 1), and with `steps.length` before the manifest is deleted. A hook that throws stops the swap there. */
export interface SwapHooks {
  beforeManifest?(): void | Promise<void>;
  beforeStep?(index: number, step: SwapStep | undefined): void | Promise<void>;
}

/** The swap stopped after its commit point: the next run of the manifest finishes it. */
export class SwapIncompleteError extends Error {
  override name = 'SwapIncompleteError';
  constructor(cause: unknown) {
    super(`the new data is committed but the swap stopped before its end (${(cause as Error).message ?? String(cause)}); the next job finishes it`, { cause });
  }
}

async function collectionNames(db: Db): Promise<Set<string>> {
  return new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
}

const isNamespaceNotFound = (error: unknown): boolean => (error as { code?: number }).code === 26;

async function applyStep(db: Db, step: SwapStep, existing: Set<string>): Promise<void> {
  switch (step.op) {
    case 'replace':
      if (!existing.has(step.from)) return; // renamed before a failure: done
      try {
        await db.renameCollection(step.from, step.to, { dropTarget: true });
      } catch (error) {
        // Another runner of the same manifest renamed it first.
        if (!isNamespaceNotFound(error)) throw error;
      }
      return;
    case 'merge':
      if (!existing.has(step.from)) return;
      await db
        .collection(step.from)
        .aggregate([{ $merge: { into: step.into, on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } }], { allowDiskUse: true })
        .toArray();
      await db
        .collection(step.from)
        .drop()
        .catch(() => undefined);
      return;
    case 'drop':
      if (existing.has(step.name))
        await db
          .collection(step.name)
          .drop()
          .catch(() => undefined);
      return;
    case 'put':
      await db.collection<StateDoc>(STATE_COLLECTION).replaceOne({ _id: step.doc._id }, step.doc, { upsert: true });
      return;
    case 'remove':
      await db.collection<StateDoc>(STATE_COLLECTION).deleteOne({ _id: step.id });
      return;
    case 'delete':
      if (existing.has(step.from)) await db.collection<{ _id: string }>(step.from).deleteMany({ _id: { $in: step.ids } });
      return;
  }
}

async function runManifest(db: Db, manifest: SwapManifest, hooks: SwapHooks): Promise<void> {
  const existing = await collectionNames(db);
  for (const [index, step] of manifest.steps.entries()) {
    await hooks.beforeStep?.(index, step);
    await applyStep(db, step, existing);
  }
  await hooks.beforeStep?.(manifest.steps.length, undefined);
  await db.collection<SwapManifest>(JOBS_COLLECTION).deleteOne({ _id: MANIFEST_ID, job: manifest.job });
}

/**
 * Commits `steps` for job `job`: checks that every staging collection they read exists,
 * writes the manifest (the commit point) and runs it. Before the commit point an error leaves
 * everything as it was; after it, the error is a SwapIncompleteError and `recoverSwap`
 * finishes the swap. A swap of no steps writes nothing.
 */
export async function commitSwap(db: Db, job: string, steps: readonly SwapStep[], hooks: SwapHooks = {}): Promise<void> {
  if (steps.length === 0) return;
  const existing = await collectionNames(db);
  for (const step of steps) {
    const source = step.op === 'replace' || step.op === 'merge' ? step.from : undefined;
    if (source !== undefined && !existing.has(source)) throw new Error(`the staging collection ${source} is missing: nothing was swapped in`);
  }
  await hooks.beforeManifest?.();
  const manifest: SwapManifest = { _id: MANIFEST_ID, job, at: new Date(), steps: [...steps] };
  await db.collection<SwapManifest>(JOBS_COLLECTION).insertOne(manifest);
  try {
    await runManifest(db, manifest, hooks);
  } catch (error) {
    throw new SwapIncompleteError(error);
  }
}

export interface Recovery {
  /** The job whose swap was finished, if one had stopped half-way. */
  finished?: string;
  /** Staging collections dropped (left by a failed or killed job). */
  dropped: string[];
}

/**
 * Run by a job holding the lock, before it does anything: finishes the swap a failed or
 * killed job left half-done, then drops every staging collection (no other job runs, and
 * the caller has made none yet).
 */
export async function recoverSwap(db: Db): Promise<Recovery> {
  const recovery: Recovery = { dropped: [] };
  const manifest = await db.collection<SwapManifest>(JOBS_COLLECTION).findOne({ _id: MANIFEST_ID });
  if (manifest) {
    await runManifest(db, manifest, {});
    recovery.finished = manifest.job;
  }
  await dropStaging(db, { into: recovery.dropped });
  return recovery;
}

/** Drops the staging collections of one job (`of`: its staging id), or of every job. */
export async function dropStaging(db: Db, options: { of?: string; into?: string[] } = {}): Promise<string[]> {
  const dropped = options.into ?? [];
  const prefix = options.of === undefined ? STAGING_PREFIX : stagingName(options.of, '');
  for (const name of await collectionNames(db)) {
    const staging = name.startsWith(prefix) || (options.of === undefined && LEGACY_STAGING.includes(name));
    if (!staging) continue;
    await db
      .collection(name)
      .drop()
      .catch(() => undefined);
    dropped.push(name);
  }
  return dropped;
}

/** Whether a swap is waiting to be finished (a job stopped after its commit point). */
export async function pendingSwap(db: Db): Promise<Pick<SwapManifest, 'job' | 'at'> | null> {
  const manifest = await db.collection<SwapManifest>(JOBS_COLLECTION).findOne({ _id: MANIFEST_ID });
  return manifest ? { job: manifest.job, at: manifest.at } : null;
}
