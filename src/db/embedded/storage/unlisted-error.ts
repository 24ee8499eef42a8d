/**
 * A MongoDB error whose code errors.ts does not list (yet): the same reply shape as any
 * CommandError, with MongoDB's own code and codeName, so that drivers and apps see what a real
 * server answers. Once errors.ts lists a code, a plain CommandError replaces it.
 */
import { CommandError } from '../errors.js';

export class UnlistedCodeError extends CommandError {
  declare readonly code: number;
  declare readonly codeName: string;

  constructor(code: number, codeName: string, message: string) {
    super('BadValue', message);
    this.code = code;
    this.codeName = codeName;
  }
}

/** Codes used through UnlistedCodeError, named once. */
export const UnlistedCode = Object.freeze({
  Overflow: [15, 'Overflow'],
  MergeStageNoMatchingDocument: [13113, 'MergeStageNoMatchingDocument'],
  MergeOnFieldMissing: [51132, 'Location51132'],
  MergeOnFieldsNotUnique: [51183, 'Location51183'],
} as const);

export function unlistedError(kind: keyof typeof UnlistedCode, message: string): UnlistedCodeError {
  const [code, codeName] = UnlistedCode[kind];
  return new UnlistedCodeError(code, codeName, message);
}
