/**
 * One index's postings in LMDB: for each indexed value's key (value-key.ts), the `_id` keys
 * of the documents holding it, as keys sharing one prefix (lmdb-keys.ts). Equality look-ups
 * and uniqueness checks read one short key range; nothing is rebuilt at open.
 */
import type { Holder, IdKey, IndexPostings } from '../storage/postings.js';
import { valueKey } from '../storage/value-key.js';
import { indexRange, postingKey, postingPrefix, prefixEnd } from './lmdb-keys.js';
import type { LmdbStore } from './lmdb-store.js';

export class LmdbPostings implements IndexPostings {
  constructor(
    private readonly store: LmdbStore,
    readonly indexId: number,
  ) {}

  private prefix(value: unknown): Buffer {
    return postingPrefix(this.indexId, valueKey(value));
  }

  private idsUnder(prefix: Buffer, limit?: number): IdKey[] {
    const ids: IdKey[] = [];
    for (const { value } of this.store.postingsDb.getRange({ start: prefix, end: prefixEnd(prefix), ...(limit ? { limit } : {}) })) ids.push(value.toString('utf8'));
    return ids;
  }

  get(value: unknown): Holder | undefined {
    const ids = this.idsUnder(this.prefix(value));
    return ids.length === 0 ? undefined : ids;
  }

  add(value: unknown, id: IdKey): void {
    const key = postingKey(this.prefix(value), id);
    this.store.write(() => this.store.postingsDb.putSync(key, Buffer.from(id, 'utf8')));
  }

  addUnique(value: unknown, id: IdKey): IdKey | undefined {
    const prefix = this.prefix(value);
    const other = this.idsUnder(prefix, 2).find((holder) => holder !== id);
    if (other !== undefined) return other;
    this.store.write(() => this.store.postingsDb.putSync(postingKey(prefix, id), Buffer.from(id, 'utf8')));
    return undefined;
  }

  addFresh(value: unknown, id: IdKey): boolean {
    const prefix = this.prefix(value);
    if (this.idsUnder(prefix, 1).length > 0) return false;
    this.store.write(() => this.store.postingsDb.putSync(postingKey(prefix, id), Buffer.from(id, 'utf8')));
    return true;
  }

  remove(value: unknown, id: IdKey): void {
    const key = postingKey(this.prefix(value), id);
    this.store.write(() => this.store.postingsDb.removeSync(key));
  }

  clear(): void {
    this.store.write(() => this.store.removeRange(this.store.postingsDb, indexRange(this.indexId)));
  }
}
