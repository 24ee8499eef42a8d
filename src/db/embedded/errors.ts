/**
 * MongoDB server error codes the engine answers with, listed once. Drivers react to the
 * code (and sometimes the codeName), so these must be MongoDB's own numbers and names.
 * Codes that trigger driver retries or pool clears (see WIRE-PROTOCOL §6) are deliberately absent.
 */
export const ErrorCode = Object.freeze({
  InternalError: { code: 1, codeName: 'InternalError' },
  BadValue: { code: 2, codeName: 'BadValue' },
  FailedToParse: { code: 9, codeName: 'FailedToParse' },
  TypeMismatch: { code: 14, codeName: 'TypeMismatch' },
  InvalidLength: { code: 16, codeName: 'InvalidLength' },
  BSONObjectTooLarge: { code: 10334, codeName: 'BSONObjectTooLarge' },
  NamespaceNotFound: { code: 26, codeName: 'NamespaceNotFound' },
  IndexNotFound: { code: 27, codeName: 'IndexNotFound' },
  CursorNotFound: { code: 43, codeName: 'CursorNotFound' },
  NamespaceExists: { code: 48, codeName: 'NamespaceExists' },
  CommandNotFound: { code: 59, codeName: 'CommandNotFound' },
  ImmutableField: { code: 66, codeName: 'ImmutableField' },
  InvalidOptions: { code: 72, codeName: 'InvalidOptions' },
  InvalidNamespace: { code: 73, codeName: 'InvalidNamespace' },
  IndexOptionsConflict: { code: 85, codeName: 'IndexOptionsConflict' },
  IndexKeySpecsConflict: { code: 86, codeName: 'IndexKeySpecsConflict' },
  CommandNotSupported: { code: 115, codeName: 'CommandNotSupported' },
  OperationNotSupportedInTransaction: { code: 263, codeName: 'OperationNotSupportedInTransaction' },
  DuplicateKey: { code: 11000, codeName: 'DuplicateKey' },
  Unauthorized: { code: 13, codeName: 'Unauthorized' },
  Overflow: { code: 15, codeName: 'Overflow' },
  InvalidBSON: { code: 22, codeName: 'InvalidBSON' },
  PathNotViable: { code: 28, codeName: 'PathNotViable' },
  ConflictingUpdateOperators: { code: 40, codeName: 'ConflictingUpdateOperators' },
  InvalidIdField: { code: 53, codeName: 'InvalidIdField' },
  MergeStageNoMatchingDocument: { code: 13113, codeName: 'MergeStageNoMatchingDocument' },
  MergeOnFieldMissing: { code: 51132, codeName: 'Location51132' },
  MergeOnFieldsNotUnique: { code: 51183, codeName: 'Location51183' },
} as const);

export type ErrorCodeName = keyof typeof ErrorCode;

/** An error that becomes a MongoDB error reply: `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Record<string, unknown>;

  constructor(kind: ErrorCodeName, message: string, extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandError';
    this.code = ErrorCode[kind].code;
    this.codeName = ErrorCode[kind].codeName;
    this.extra = extra;
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** Turns anything thrown while running a command into a MongoDB-shaped error. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // mingo and bson throw plain errors for bad queries, pipelines and values: the user's input.
  return new CommandError('BadValue', message, {}, { cause: error });
}
