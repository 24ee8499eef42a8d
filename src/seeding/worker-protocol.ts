/** Messages between the seeding parent and its forked workers (over the IPC channel). */
import type { SerializedCatalogue } from './generate/index.js';

export interface WorkerInit {
  type: 'init';
  uri: string;
  dbName: string;
  collection: string;
  seed: number;
  userCount: number;
  chunkSize: number;
  maxOrdersPerUser: number;
  year: number;
  locale: string;
  batchSize: number;
  catalogue: SerializedCatalogue;
}

/** Parent → worker. */
export type ParentMessage = WorkerInit | { type: 'chunk'; chunk: number } | { type: 'finish' };

export interface ChunkCounts {
  users: number;
  carts: number;
  orders: number;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready' }
  | ({ type: 'progress' } & ChunkCounts)
  | { type: 'chunk-done'; chunk: number }
  | { type: 'error'; message: string; stack?: string }
  | { type: 'finished' };
