/**
 * The LMDB environment of a storage directory and its named databases, opened the same way by
 * the thread that owns the data (lmdb-store.ts) and by the front thread's reader
 * (lmdb-reader.ts): lmdb-js shares one environment per path within a process, so both must
 * ask for it with the same flags. Keys and values are raw bytes (keys: lmdb-keys.ts).
 */
import { open, type Database, type RootDatabase } from 'lmdb';

export type Bytes = Database<Buffer, Buffer>;

export interface LmdbDatabases {
  readonly env: RootDatabase<Buffer, Buffer>;
  /** cid · rid → BSON; cid · 0 → the collection's document count. */
  readonly records: Bytes;
  /** cid · `_id` key → rid. */
  readonly ids: Bytes;
  /** index id · value key · `_id` key → `_id` key. */
  readonly postings: Bytes;
  /** cid → the collection's catalog entry (BSON). */
  readonly catalog: Bytes;
  readonly meta: Bytes;
}

/** `dir`: a storage directory that exists. noSync: lmdb-store.ts's header says why. */
export function openLmdb(dir: string): LmdbDatabases {
  const env = open<Buffer, Buffer>({ path: dir, noSubdir: false, noSync: true, maxDbs: 8, keyEncoding: 'binary', encoding: 'binary' });
  const named = (name: string): Bytes => env.openDB<Buffer, Buffer>(name, { keyEncoding: 'binary', encoding: 'binary' });
  return { env, records: named('records'), ids: named('ids'), postings: named('postings'), catalog: named('catalog'), meta: named('meta') };
}
