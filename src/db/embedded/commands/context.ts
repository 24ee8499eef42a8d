/**
 * What every command handler receives, and the shape of a handler. Handlers are synchronous:
 * the engine holds its data in memory, and one command runs to completion before the next,
 * which is what makes each command atomic.
 */
import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import type { CursorRegistry } from '../storage/cursors.js';

export interface EngineInfo {
  readonly startedAt: Date;
  readonly host: string;
  readonly port: number;
  readonly durable: boolean;
  readonly dataDir: string | undefined;
}

export interface CommandContext {
  readonly catalog: Catalog;
  readonly cursors: CursorRegistry;
  readonly engine: EngineInfo;
  /** The target database (`$db`). */
  readonly db: string;
  readonly connectionId: number;
  /** Raw BSON of kind-1 documents by identifier, when the client sent sequences. */
  readonly rawSequences: ReadonlyMap<string, Uint8Array[]>;
}

/** A reply document, or one already encoded as BSON (cursor replies). */
export type CommandReply = Document | Uint8Array;

export interface CommandDefinition {
  readonly name: string;
  readonly aliases?: readonly string[];
  /**
   * Changes data: runs inside one store transaction (kept whole or not at all); or, for a
   * command that returns `'in-steps'`, in transactions of its own whose intermediate states no
   * client sees (aggregate with `$out`: a staging collection filled step by step, swapped in by
   * the last), so that a large write holds a bounded amount of memory.
   */
  readonly writes?: boolean | ((command: Document) => boolean | 'in-steps');
  run(command: Document, context: CommandContext): CommandReply;
}
