/**
 * The record of the parts written: one document per part in `datadragon_parts`, written once
 * the part's activity is complete, with the fingerprint of the data options so that parts of
 * different options are never put together. `seed --finish` reads them: every part of one N
 * written, each with the users it says it wrote, or a refusal naming what is missing.
 */
import os from 'node:os';
import type { Db } from 'mongodb';
import { AppError, ErrorCodes, UserInputError } from '../errors.js';
import type { SeedPlan } from './options.js';
import { type ChunkRange, dataOptions, missingParts, type Part, partName, seedFingerprint } from './parts.js';
import type { WrittenCounts } from './seed.js';

export const PARTS_COLLECTION = 'datadragon_parts';

export interface PartRecord {
  /** `<fingerprint>:<I>/<N>` */
  _id: string;
  fingerprint: string;
  part: Part;
  options: ReturnType<typeof dataOptions>;
  /** The collection holding the part's activity. */
  collection: string;
  chunks: ChunkRange;
  written: WrittenCounts;
  job: string;
  host: string;
  pid: number;
  at: Date;
}

export function partRecordId(fingerprint: string, part: Part): string {
  return `${fingerprint}:${partName(part)}`;
}

/** Forgets a part (before it is written again, or after it failed). */
export async function forgetPart(db: Db, fingerprint: string, part: Part): Promise<void> {
  await db.collection<PartRecord>(PARTS_COLLECTION).deleteOne({ _id: partRecordId(fingerprint, part) });
}

/** Records a part as written (replacing an earlier record of it). */
export async function recordPart(db: Db, record: Omit<PartRecord, '_id' | 'host' | 'pid' | 'at'>): Promise<void> {
  const doc: PartRecord = { _id: partRecordId(record.fingerprint, record.part), ...record, host: os.hostname(), pid: process.pid, at: new Date() };
  await db.collection<PartRecord>(PARTS_COLLECTION).replaceOne({ _id: doc._id }, doc, { upsert: true });
}

const count = (n: number): string => n.toLocaleString('en-US');

/** "seed 42, 4,000 users, at most 6 orders each, 500 products, year 2025, locale pt_BR" */
export function describeDataOptions(options: ReturnType<typeof dataOptions>): string {
  return `seed ${options.seed}, ${count(options.users)} users, at most ${count(options.maxOrders)} orders each, ${count(options.products)} products, year ${options.year}, locale ${options.locale}`;
}

function listParts(parts: readonly Part[]): string {
  const names = parts.map(partName);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/**
 * The parts `--finish` puts together: every part of one N, for the plan's data options.
 * Refuses (BAD_USER_INPUT) naming the missing parts, or, when no part of these options was
 * written, the options the written parts have.
 */
export function chooseParts(plan: SeedPlan, records: readonly PartRecord[]): PartRecord[] {
  const fingerprint = seedFingerprint(plan);
  const mine = records.filter((r) => r.fingerprint === fingerprint);
  const these = describeDataOptions(dataOptions(plan));
  if (mine.length === 0) {
    const others = [...new Map(records.map((r) => [r.fingerprint, r.options])).values()].map((o) => describeDataOptions(o));
    const hint = others.length
      ? `; the parts written are of other options (${others.join('; ')}): give --finish the options the parts were written with`
      : '; write them first with --part 1/N … --part N/N and the same options';
    throw new UserInputError(`cannot finish the seed (${these}): no part of it has been written${hint}`, { reason: 'NO_PARTS' });
  }
  const byCount = new Map<number, PartRecord[]>();
  for (const record of mine) byCount.set(record.part.count, [...(byCount.get(record.part.count) ?? []), record]);
  const complete = [...byCount.entries()].filter(
    ([n, parts]) =>
      missingParts(
        n,
        parts.map((p) => p.part.index),
      ).length === 0,
  );
  if (complete.length > 0) {
    // Several complete splittings (1/2 and 2/2, then 1/3 … 3/3): the latest written.
    const latest = (parts: PartRecord[]): number => Math.max(...parts.map((p) => p.at.getTime()));
    const [, parts] = complete.sort((a, b) => latest(b[1]) - latest(a[1]))[0]!;
    return [...parts].sort((a, b) => a.part.index - b.part.index);
  }
  const reports = [...byCount.entries()].map(([n, parts]) => {
    const missing = missingParts(
      n,
      parts.map((p) => p.part.index),
    ).map((index) => ({ index, count: n }));
    const written = parts.map((p) => p.part).sort((a, b) => a.index - b.index);
    return `part${missing.length === 1 ? '' : 's'} ${listParts(missing)} ${missing.length === 1 ? 'is' : 'are'} missing (written: ${listParts(written)})`;
  });
  const first = byCount.keys().next().value!;
  const firstMissing = missingParts(
    first,
    byCount.get(first)!.map((p) => p.part.index),
  )[0]!;
  throw new UserInputError(
    `cannot finish the seed (${these}): ${reports.join('; ')}. Write the missing parts (npx datadragon seed --part ${firstMissing}/${first} with the same options), then run --finish again`,
    {
      reason: 'MISSING_PARTS',
      missing: [...byCount.entries()].flatMap(([n, parts]) =>
        missingParts(
          n,
          parts.map((p) => p.part.index),
        ).map((i) => `${i}/${n}`),
      ),
    },
  );
}

/** Every record in the database. */
export async function readPartRecords(db: Db): Promise<PartRecord[]> {
  return db.collection<PartRecord>(PARTS_COLLECTION).find({}).toArray();
}

/**
 * Checks that each part's collection still holds the users it recorded (a reset, or a drop,
 * in between would otherwise finish a seed with customers missing).
 */
export async function checkPartCollections(db: Db, parts: readonly PartRecord[]): Promise<void> {
  for (const record of parts) {
    const found = await db.collection(record.collection).countDocuments();
    if (found !== record.written.users) {
      throw new AppError(
        ErrorCodes.FAILED,
        `cannot finish the seed: part ${partName(record.part)}'s activity (${record.collection}) holds ${count(found)} of the ${count(record.written.users)} users it wrote ` +
          `(removed since, by a reset or by hand?); write it again with --part ${partName(record.part)} and the same options, then run --finish again`,
        { reason: 'PART_INCOMPLETE', part: partName(record.part) },
      );
    }
  }
}
