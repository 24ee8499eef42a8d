/**
 * What the compiled operators share: the SLOW marker, the compiler interface an operator uses
 * for its arguments (and for the variables it binds), and the value tests every operator makes
 * the same way.
 */

/** A compiled expression: the value for one document (undefined = missing). */
export type Compiled = (doc: unknown) => unknown;

/**
 * Returned by an operator's fast path for an input it does not handle exactly like mingo (a
 * value of another type, an error to raise): the caller then evaluates the whole operator
 * with mingo, so mingo's semantics and error messages stay the reference.
 */
export const SLOW: unique symbol = Symbol('slow');

export interface Compiler {
  /** Compiles a sub-expression in the current variable scope. */
  compile(expr: unknown): Compiled;
  /**
   * A scope where `names` are bound: `compile` compiles in it, `set(i, value)` gives the i-th
   * name its value before the compiled function runs. Variables live in one frame per
   * top-level expression, written before each use: evaluation is synchronous, so that is safe.
   */
  bind(names: readonly string[]): { compile(expr: unknown): Compiled; set(index: number, value: unknown): void };
  /** Whether `name` is a variable bound by an enclosing operator. */
  bound(name: string): boolean;
}

/** An operator: given its operand (as written) and a compiler, a fast function, or undefined to leave it to mingo. */
export type Operator = (operand: unknown, compiler: Compiler) => Compiled | undefined;

export const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;

/** An embedded document as mingo's `isObject` sees it: a plain object (Object or null prototype). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An object operand of the named fields (e.g. `$map: { input, as, in }`), or undefined. */
export function objectOperand(operand: unknown, required: readonly string[], allowed: readonly string[]): Record<string, unknown> | undefined {
  if (!isPlainObject(operand)) return undefined;
  for (const key of required) if (!Object.hasOwn(operand, key)) return undefined;
  for (const key of Object.keys(operand)) if (!allowed.includes(key)) return undefined;
  return operand;
}

/** The arguments of an operator written as a list (`{ $add: [a, b] }`) or a single value. */
export function argumentList(operand: unknown): unknown[] {
  return Array.isArray(operand) ? operand : [operand];
}

/** The variable an iterating operator binds for its `as` (default `this`), or undefined for an `as` mingo must judge. */
export function variableName(as: unknown): string | undefined {
  if (as === undefined) return 'this';
  return typeof as === 'string' ? as || 'this' : undefined;
}
