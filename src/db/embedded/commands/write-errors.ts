/** The `writeErrors` entries of insert/update/delete replies (ok: 1 with per-operation errors). */
import { isEngineBug, toCommandError } from '../errors.js';

export interface WriteError {
  index: number;
  code: number;
  codeName: string;
  errmsg: string;
  [extra: string]: unknown;
}

export function writeError(index: number, error: unknown): WriteError {
  // A write error is answered inside an ok: 1 reply, past the dispatcher's log of engine bugs.
  if (isEngineBug(error)) console.error(`[engine] write statement ${index} failed:`, error);
  const e = toCommandError(error);
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}
