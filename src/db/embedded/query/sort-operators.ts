/**
 * mingo's `$sort` stage and `$top`/`$bottom`/`$topN`/`$bottomN` accumulators, on the engine's
 * sort (sort.ts). `$top` and `$bottom` answer the output value itself, as MongoDB does
 * (mingo answered a one-element array); the N forms answer an array of up to n values.
 */
import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import { Lazy, type Iterator as LazyIterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { CommandError, location } from '../errors.js';
import { collationOf } from './collation.js';
import { sortDocuments } from './sort.js';

type Accumulate = (coll: unknown[], expr: unknown, options: Options) => unknown;
const push = accumulatorOperators.$push as unknown as Accumulate;

const stringsOf = (options: Options) => collationOf(options.collation as Document | undefined)?.compare;

export const $sort = (collection: LazyIterator, spec: Document, options: Options): LazyIterator => {
  const strings = stringsOf(options);
  return collection.transform((docs) => Lazy(sortDocuments(docs as Document[], spec, strings)));
};

interface PickSpec {
  sortBy?: unknown;
  output?: unknown;
  n?: unknown;
}

function sorted(coll: unknown[], spec: PickSpec, name: string, options: Options): unknown[] {
  if (spec === null || typeof spec !== 'object') throw new CommandError(location(5788001), `specification must be an object; found ${String(spec)}`);
  if (spec.sortBy === null || typeof spec.sortBy !== 'object') throw new CommandError(location(5788005), `${name} requires a 'sortBy' object`);
  if (!('output' in spec)) throw new CommandError(location(5788006), `${name} requires an 'output' field`);
  return sortDocuments([...coll], spec.sortBy as Document, stringsOf(options));
}

function count(spec: PickSpec, name: string, options: Options): number {
  const n = evalExpr((options as { local?: { groupId?: unknown } }).local?.groupId ?? null, spec.n, options);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
    throw new CommandError(location(5787902), `'n' must be a positive integer for ${name}, found ${String(n)}`);
  return n;
}

const $top: Accumulate = (coll, expr, options) => {
  const spec = expr as PickSpec;
  const docs = sorted(coll, spec, '$top', options);
  return docs.length === 0 ? null : (push(docs.slice(0, 1), spec.output, options) as unknown[])[0];
};

const $bottom: Accumulate = (coll, expr, options) => {
  const spec = expr as PickSpec;
  const docs = sorted(coll, spec, '$bottom', options);
  return docs.length === 0 ? null : (push(docs.slice(-1), spec.output, options) as unknown[])[0];
};

const $topN: Accumulate = (coll, expr, options) => {
  const spec = expr as PickSpec;
  const n = count(spec, '$topN', options);
  return push(sorted(coll, spec, '$topN', options).slice(0, n), spec.output, options);
};

const $bottomN: Accumulate = (coll, expr, options) => {
  const spec = expr as PickSpec;
  const n = count(spec, '$bottomN', options);
  const docs = sorted(coll, spec, '$bottomN', options);
  return push(docs.slice(Math.max(0, docs.length - n)), spec.output, options);
};

export const SORT_ACCUMULATORS = { $top, $bottom, $topN, $bottomN };
