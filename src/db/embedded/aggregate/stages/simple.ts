/** $match, $limit, $skip, $count, $replaceRoot/$replaceWith. */
import type { Document } from 'bson';
import { CommandError } from '../../errors.js';
import { compileFilter } from '../../query/compile-filter.js';
import { Query } from '../../query/mingo-context.js';
import { compileExpression } from './compile.js';
import { isPlainSpecObject, type StageFactory } from './types.js';

export const matchStage: StageFactory = (spec) => {
  if (!isPlainSpecObject(spec) && !(spec && typeof spec === 'object' && !Array.isArray(spec))) return undefined;
  const query = new Query(spec as Document);
  const test = compileFilter(spec as Document, (doc) => query.test(doc)) ?? ((doc: Document) => query.test(doc));
  return function* (input) {
    for (const doc of input) if (test(doc)) yield doc;
  };
};

function count(spec: unknown, stage: string): number {
  if (typeof spec !== 'number' || !Number.isInteger(spec) || spec < 0)
    throw new CommandError('BadValue', `invalid argument to ${stage} stage: ${String(spec)}`);
  return spec;
}

export const limitStage: StageFactory = (spec) => {
  const n = count(spec, '$limit');
  if (n === 0) throw new CommandError('BadValue', 'the limit must be positive');
  return function* (input) {
    if (n === 0) return;
    let i = 0;
    for (const doc of input) {
      yield doc;
      if (++i >= n) return;
    }
  };
};

export const skipStage: StageFactory = (spec) => {
  const n = count(spec, '$skip');
  return function* (input) {
    let i = 0;
    for (const doc of input) if (i++ >= n) yield doc;
  };
};

export const countStage: StageFactory = (spec) => {
  if (typeof spec !== 'string' || spec.length === 0 || spec.startsWith('$') || spec.includes('.')) return undefined;
  return function* (input) {
    let n = 0;
    for (const doc of input) {
      void doc;
      n++;
    }
    if (n > 0) yield { [spec]: n };
  };
};

export const replaceWithStage: StageFactory = (spec, { evaluate }) => {
  const newRoot = compileExpression(spec, evaluate);
  return function* (input) {
    for (const doc of input) {
      const value = newRoot(doc);
      if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        throw new CommandError('BadValue', `'newRoot' expression must evaluate to an object, but resulting value was: ${JSON.stringify(value)}`);
      }
      yield value as Document;
    }
  };
};

export const replaceRootStage: StageFactory = (spec, context) => {
  if (!isPlainSpecObject(spec) || !('newRoot' in spec)) return undefined;
  return replaceWithStage(spec.newRoot, context);
};
