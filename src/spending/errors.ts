/**
 * Errors of the spending module that are the caller's fault (bad year, bad filter...).
 * Every one has a stable `code` that the CLI prints and the GraphQL layer can map to
 * `BAD_USER_INPUT`; messages are meant for the end user.
 */

export type SpendingInputErrorCode =
  | 'BAD_YEAR'
  /** The text is not valid JSON / Extended JSON; `position` says where. */
  | 'BAD_JSON'
  /** Valid JSON, but not an acceptable filter (wrong type, unknown operator...). */
  | 'BAD_FILTER'
  /** `$where`, `$function`, `$accumulator`, `Code` values: server-side JavaScript. */
  | 'FORBIDDEN_OPERATOR'
  | 'BAD_SORT'
  | 'BAD_FIELDS';

export class SpendingInputError extends Error {
  readonly code: SpendingInputErrorCode;

  constructor(code: SpendingInputErrorCode, message: string) {
    super(message);
    this.name = 'SpendingInputError';
    this.code = code;
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

  constructor(
    code: SpendingInputErrorCode,
    message: string,
    details: { path?: string; position?: TextPosition; excerpt?: string } = {},
  ) {
    super(code, message);
    this.name = 'FilterError';
    this.path = details.path ?? '';
    this.position = details.position;
    this.excerpt = details.excerpt;
  }
}
