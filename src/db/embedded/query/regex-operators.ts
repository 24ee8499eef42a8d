/**
 * `$regexMatch`, `$regexFind` and `$regexFindAll` on RE2 (regex.ts), answering as mongod does
 * (MongoDB manual, "$regexFind"): `{match, idx, captures}` with `idx` counted in code points,
 * a capture that did not take part as null, and `$regexFind` null when nothing matches.
 */
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { CommandError, location } from '../errors.js';
import { linearRegExp, toLinear, type LinearRegExp } from './regex.js';

type ExprFn = (obj: unknown, expr: unknown, options: Options) => unknown;

interface Args {
  input: unknown;
  regex: LinearRegExp | undefined;
}

function args(obj: unknown, expr: unknown, options: Options, name: string): Args {
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr))
    throw new CommandError(location(51103), `${name} expects an object of named arguments but found: ${typeof expr}`);
  const spec = expr as { input?: unknown; regex?: unknown; options?: unknown };
  const input = evalExpr(obj, spec.input, options);
  const regex = evalExpr(obj, spec.regex, options);
  const flags = evalExpr(obj, spec.options, options);
  if (flags !== undefined && flags !== null && typeof flags !== 'string')
    throw new CommandError(location(51106), `${name} needs 'options' to be of type string`);
  if (input !== undefined && input !== null && typeof input !== 'string') throw new CommandError(location(51104), `${name} needs 'input' to be of type string`);
  if (regex === undefined || regex === null) return { input, regex: undefined };
  if (typeof regex === 'string') return { input, regex: linearRegExp(regex, (flags as string | undefined) ?? '') };
  const linear = toLinear(regex, flags ?? undefined);
  if (!linear) throw new CommandError(location(51105), `${name} needs 'regex' to be of type string or regex`);
  return { input, regex: linear };
}

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function shape(match: RegExpExecArray, input: string): Record<string, unknown> {
  return { match: match[0], idx: codePoints(input.slice(0, match.index)), captures: match.slice(1).map((c) => c ?? null) };
}

export const $regexMatch: ExprFn = (obj, expr, options) => {
  const { input, regex } = args(obj, expr, options, '$regexMatch');
  if (typeof input !== 'string' || !regex) return false;
  return regex.test(input);
};

export const $regexFind: ExprFn = (obj, expr, options) => {
  const { input, regex } = args(obj, expr, options, '$regexFind');
  if (typeof input !== 'string' || !regex) return null;
  const match = regex.exec(input);
  return match ? shape(match, input) : null;
};

export const $regexFindAll: ExprFn = (obj, expr, options) => {
  const { input, regex } = args(obj, expr, options, '$regexFindAll');
  if (typeof input !== 'string' || !regex) return [];
  return [...regex.matchAll(input)].map((match) => shape(match, input));
};
