/**
 * Where clients may not write, as mongod decides it: no client writes into `system.*`
 * collections (userAllowedWriteNS: 73 InvalidNamespace), and `$out` / `$merge` may target
 * neither a system collection nor the internal databases `admin`, `config` and `local`
 * (17385 / 31321 for `$out`, 31319 / 31320 for `$merge`). Plain writes into `admin`, `config`
 * and `local` are allowed on a standalone mongod, and so they are here.
 */
import type { Document } from 'bson';
import { CommandError, location } from '../errors.js';

export const INTERNAL_DATABASES: ReadonlySet<string> = new Set(['admin', 'config', 'local']);

/** System collections a client may write (mongod's isLegalClientSystemNS, the parts a standalone has). */
function isLegalClientSystemCollection(db: string, collection: string): boolean {
  if (collection === 'system.js') return true;
  if (db === 'admin') return ['system.roles', 'system.users', 'system.version', 'system.new_users', 'system.backup_users'].includes(collection);
  return false;
}

const isSystem = (collection: string): boolean => collection.startsWith('system.');

/** Throws mongod's error for a client write (insert, update, delete, create...) into `db.collection`. */
export function checkWritableNamespace(db: string, collection: string): void {
  const ns = `${db}.${collection}`;
  if (collection === 'system.profile' || collection === 'system.views') throw new CommandError('InvalidNamespace', `cannot write to ${ns}`);
  if (isSystem(collection) && !isLegalClientSystemCollection(db, collection)) throw new CommandError('InvalidNamespace', `Invalid system namespace: ${ns}`);
}

/** The namespace a `$out` / `$merge` stage writes to, or undefined when its spec is malformed (the stage reports that itself). */
export function writeStageTarget(stage: Document, db: string): { stage: '$out' | '$merge'; db: string; coll: string } | undefined {
  if ('$out' in stage) {
    const spec = stage.$out as unknown;
    if (typeof spec === 'string') return { stage: '$out', db, coll: spec };
    if (spec && typeof spec === 'object' && typeof (spec as Document).coll === 'string') {
      const target = spec as Document;
      return { stage: '$out', db: typeof target.db === 'string' ? target.db : db, coll: target.coll as string };
    }
    return undefined;
  }
  if ('$merge' in stage) {
    const spec = stage.$merge as unknown;
    const into = typeof spec === 'string' ? spec : spec && typeof spec === 'object' ? (spec as Document).into : undefined;
    if (typeof into === 'string') return { stage: '$merge', db, coll: into };
    if (into && typeof into === 'object' && typeof (into as Document).coll === 'string') {
      const target = into as Document;
      return { stage: '$merge', db: typeof target.db === 'string' ? target.db : db, coll: target.coll as string };
    }
  }
  return undefined;
}

/** Throws mongod's error when the last stage of `pipeline` writes where `$out` / `$merge` may not. */
export function checkWriteStage(pipeline: unknown, db: string): void {
  if (!Array.isArray(pipeline) || pipeline.length === 0) return;
  const last = pipeline[pipeline.length - 1] as unknown;
  if (!last || typeof last !== 'object') return;
  const target = writeStageTarget(last as Document, db);
  if (!target) return;
  if (target.stage === '$out') {
    if (isSystem(target.coll)) throw new CommandError(location(17385), `Can't $out to special collection: ${target.coll}`);
    if (INTERNAL_DATABASES.has(target.db)) throw new CommandError(location(31321), `Can't $out to internal database: ${target.db}`);
  } else {
    if (isSystem(target.coll)) throw new CommandError(location(31319), `Cannot $merge to special collection: ${target.coll}`);
    if (INTERNAL_DATABASES.has(target.db)) throw new CommandError(location(31320), `Cannot $merge to internal database: ${target.db}`);
  }
}
