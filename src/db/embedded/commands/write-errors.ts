/** The `writeErrors` entries of insert/update/delete replies (ok: 1 with per-operation errors). */
import { toCommandError } from '../errors.js';

export interface WriteError {
  index: number;
  code: number;
  codeName: string;
  errmsg: string;
  [extra: string]: unknown;
}

export function writeError(index: number, error: unknown): WriteError {
  const e = toCommandError(error);
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}
