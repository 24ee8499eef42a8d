/**
 * mongod's limits on a command, checked once before any handler runs (the nesting depth is
 * checked earlier still, as the message is read: see depth.ts).
 */
import type { Document } from 'bson';
import { checkWritableNamespace, checkWriteStage } from './namespaces.js';
import { CommandError, location } from '../errors.js';

/** internalPipelineLengthLimit. */
export const MAX_PIPELINE_STAGES = 1000;

/** Commands that write into the collection their first field names. */
const WRITES_TO_NAMED_COLLECTION = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify', 'create', 'createIndexes']);

/** Throws the error mongod answers `command` with for breaking one of its limits. */
export function checkCommandLimits(name: string, command: Document, db: string): void {
  const target = command[name];
  if (WRITES_TO_NAMED_COLLECTION.has(name) && typeof target === 'string') checkWritableNamespace(db, target);
  if (name === 'aggregate') {
    const pipeline = command.pipeline;
    if (Array.isArray(pipeline) && pipeline.length > MAX_PIPELINE_STAGES) {
      throw new CommandError(location(7749501), `Pipeline length must be no longer than ${MAX_PIPELINE_STAGES} stages.`);
    }
    checkWriteStage(pipeline, db);
  }
}
