/**
 * Error replies for the engine's edges (authentication, mongod's limits, resource caps) whose
 * codes the shared error table does not list: mongod's own numbers and names, listed once here.
 */
import { CommandError } from '../errors.js';

export const EdgeErrorCode = Object.freeze({
  Unauthorized: { code: 13, codeName: 'Unauthorized' },
  Overflow: { code: 15, codeName: 'Overflow' },
  AuthenticationFailed: { code: 18, codeName: 'AuthenticationFailed' },
  InvalidNamespace: { code: 73, codeName: 'InvalidNamespace' },
  /** Used by the engine's own caps (open cursors, connections): mongod has no such limit, so no code of its own. */
  OperationFailed: { code: 96, codeName: 'OperationFailed' },
  MechanismUnavailable: { code: 334, codeName: 'MechanismUnavailable' },
  BSONObjectTooLarge: { code: 10334, codeName: 'BSONObjectTooLarge' },
  /** $out into a system collection. */
  OutToSpecialCollection: { code: 17385, codeName: 'Location17385' },
  /** $out into admin, config or local. */
  OutToInternalDatabase: { code: 31321, codeName: 'Location31321' },
  /** $merge into a system collection. */
  MergeToSpecialCollection: { code: 31319, codeName: 'Location31319' },
  /** $merge into admin, config or local. */
  MergeToInternalDatabase: { code: 31320, codeName: 'Location31320' },
  /** A pipeline of more than 1000 stages. */
  PipelineTooLong: { code: 7749501, codeName: 'Location7749501' },
} as const);

export type EdgeErrorName = keyof typeof EdgeErrorCode;

/** A CommandError with one of the codes above (dispatch turns it into `{ ok: 0, ... }` like any other). */
export function edgeError(kind: EdgeErrorName, message: string, extra: Record<string, unknown> = {}): CommandError {
  const error = new CommandError('BadValue', message, extra);
  // CommandError takes its code from the shared table; these codes are not in it.
  Object.defineProperty(error, 'code', { value: EdgeErrorCode[kind].code });
  Object.defineProperty(error, 'codeName', { value: EdgeErrorCode[kind].codeName });
  return error;
}
