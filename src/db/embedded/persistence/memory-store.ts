/** The in-memory store (`--in-memory`, the tests). */
import { ValuePostings, type IndexPostings } from '../storage/postings.js';
import { MemoryRecords, type Records } from '../storage/records.js';
import type { Store, StoreCollectionId } from '../storage/store.js';

/** The in-memory store: documents as objects in Maps, nothing kept, nothing to load. */
export class MemoryStore implements Store {
  readonly durable = false;
  private nextId = 1;
  private readonly collections = new Map<StoreCollectionId, Records>();
  readonly pendingBytes = 0;
  load(): [] {
    return [];
  }
  transaction<T>(fn: () => T): T {
    return fn();
  }
  onAbort(): void {}
  createCollection(): StoreCollectionId {
    return this.nextId++;
  }
  setIndexes(): void {}
  records(id: StoreCollectionId): Records {
    let records = this.collections.get(id);
    if (!records) this.collections.set(id, (records = new MemoryRecords()));
    return records;
  }
  postings(): IndexPostings {
    return new ValuePostings();
  }
  dropCollection(id: StoreCollectionId): void {
    this.collections.delete(id);
  }
  renameCollection(): void {}
  flush(): void {}
  sizeOnDisk(): number {
    return 0;
  }
  async close(): Promise<void> {}
}
