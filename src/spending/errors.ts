/**
 * Errors of the spending module that are the caller's fault (bad year, bad filter...).
 * They are `UserInputError`s (`code` is `BAD_USER_INPUT`: the CLI exits 2, GraphQL answers
 * `BAD_USER_INPUT`), and carry a finer, stable `reason`; messages are meant for the end user.
 */
import { UserInputError } from '../errors.js';

export type SpendingInputErrorCode =
  | 'BAD_YEAR'
  /** The text is not valid JSON / Extended JSON; `position` says where. */
  | 'BAD_JSON'
  /** Valid JSON, but not an acceptable filter (wrong type, unknown operator...). */
  | 'BAD_FILTER'
  /** Server-side JavaScript (`$where`, `$function`, `$accumulator`, `Code` values), or an expression operator `$expr` does not accept. */
  | 'FORBIDDEN_OPERATOR'
  /** A regular expression that can backtrack catastrophically, or that cannot be checked. */
  | 'UNSAFE_REGEX'
  | 'BAD_SORT'
  /** A bad `--fields` list or projection document. */
  | 'BAD_FIELDS'
  /** A bad limit or skip. */
  | 'BAD_PAGINATION'
  | 'BAD_CUSTOMER_ID'
  /** The server refused a filter that passed validation (e.g. a bad `$regex` or `$expr`). */
  | 'BAD_QUERY'
  /** The server stopped the query at its time limit (`maxTimeMS`). */
  | 'TIME_LIMIT_EXCEEDED';

export class SpendingInputError extends UserInputError {
  override name = 'SpendingInputError';
  /** What is wrong, more precisely than `code` (which is always `BAD_USER_INPUT`). */
  readonly reason: SpendingInputErrorCode;

  constructor(reason: SpendingInputErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { reason, ...details });
    this.reason = reason;
  }
}

/** Where a JSON syntax error is: 0-based `offset`, 1-based `line` and `column`. */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

/**
 * A filter, sort or projection that cannot be used. `path` locates the offending part inside
 * the filter (`$and[1].email.$where`; '' for the whole value); `position` is set for syntax errors.
 */
export class FilterError extends SpendingInputError {
  readonly path: string;
  readonly position: TextPosition | undefined;
  /** For syntax errors: the text around the error, on one line. */
  readonly excerpt: string | undefined;

  override name = 'FilterError';

  constructor(reason: SpendingInputErrorCode, message: string, details: { path?: string; position?: TextPosition; excerpt?: string } = {}) {
    super(reason, message, { path: details.path ?? '', ...(details.position ? { position: details.position } : {}) });
    this.path = details.path ?? '';
    this.position = details.position;
    this.excerpt = details.excerpt;
  }
}
