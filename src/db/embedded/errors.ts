import { translateLibraryError } from './library-errors.js';

/**
 * MongoDB server error codes the engine answers with, listed once. Drivers react to the
 * code (and sometimes the codeName), so these must be MongoDB's own numbers and names.
 * Codes that make drivers retry a command or clear their connection pool are deliberately absent.
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
  MaxTimeMSExpired: { code: 50, codeName: 'MaxTimeMSExpired' },
  CannotCreateIndex: { code: 67, codeName: 'CannotCreateIndex' },
  DocumentValidationFailure: { code: 121, codeName: 'DocumentValidationFailure' },
  CommandNotSupportedOnView: { code: 166, codeName: 'CommandNotSupportedOnView' },
  InvalidPipelineOperator: { code: 168, codeName: 'InvalidPipelineOperator' },
  OptionNotSupportedOnView: { code: 167, codeName: 'OptionNotSupportedOnView' },
  NotImplemented: { code: 238, codeName: 'NotImplemented' },
  InvalidViewDefinition: { code: 182, codeName: 'InvalidViewDefinition' },
  AuthenticationFailed: { code: 18, codeName: 'AuthenticationFailed' },
  /** Used by the engine's own caps (open cursors, connections): mongod has no such limit, so no code of its own. */
  OperationFailed: { code: 96, codeName: 'OperationFailed' },
  MechanismUnavailable: { code: 334, codeName: 'MechanismUnavailable' },
} as const);

export type ErrorCodeName = keyof typeof ErrorCode;

/** A code mongod raises from one place only, named `Location<code>` as mongod names it. */
export interface ErrorKind {
  readonly code: number;
  readonly codeName: string;
}

export const location = (code: number): ErrorKind => ({ code, codeName: `Location${code}` });

/** An error that becomes a MongoDB error reply: `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Record<string, unknown>;

  constructor(kind: ErrorCodeName | ErrorKind, message: string, extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandError';
    const { code, codeName } = typeof kind === 'string' ? ErrorCode[kind] : kind;
    this.code = code;
    this.codeName = codeName;
    this.extra = extra;
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/**
 * Turns anything thrown while running a command into a MongoDB-shaped error. The engine's own
 * refusals are CommandErrors already; mingo's refusals of the user's query, pipeline or
 * update (MingoError) are put in MongoDB's words (library-errors.ts); anything else is a bug of
 * the engine, not the user's input, and says so (the caller logs its stack: see isEngineBug).
 */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const translated = translateLibraryError(error);
  if (translated) return new CommandError(translated.kind, translated.message, {}, { cause: error });
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CommandError(
    'InternalError',
    `an internal error occurred in the datadragon engine (this is a bug in the engine, not in your command; please report it with the engine's log): ${message}`,
    {},
    { cause: error },
  );
}

/** True for an error that toCommandError answers as InternalError: its stack belongs in the log. */
export function isEngineBug(error: unknown): boolean {
  return !(error instanceof CommandError) && translateLibraryError(error) === undefined;
}
