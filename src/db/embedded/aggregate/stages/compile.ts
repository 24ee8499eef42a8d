/**
 * Compiles an aggregation expression for the engine's stages. Field paths, variables bound by
 * `$map`/`$filter`/`$reduce`, constants, object and array literals and the operators real
 * pipelines lean on (operators/: arithmetic, `$round`, dates, conversions, `$ifNull`, `$eq`,
 * `$type`, `$let`, `$cond`, the array and set operators, `$mergeObjects`) run as plain JavaScript on the values they
 * handle every day — numbers, dates, strings, arrays, documents, null. Anything else, and any
 * value of another type, goes to mingo for that sub-expression (with the variables in scope),
 * so the semantics stay mingo's (and MongoDB's) while the hot path costs a function call
 * instead of an interpreter walk.
 */
import { ARRAY_OPERATORS } from './operators/arrays.js';
import { CONTROL_OPERATORS } from './operators/control.js';
import { OBJECT_OPERATORS } from './operators/objects.js';
import { SCALAR_OPERATORS } from './operators/scalar.js';
import { type Compiled, type Compiler, isPlainObject, type Operator, SLOW } from './operators/support.js';
import { cloneDocument } from '../../storage/clone.js';
import type { Evaluate } from './types.js';

export type { Compiled } from './operators/support.js';

const OPERATORS: Readonly<Record<string, Operator>> = { ...SCALAR_OPERATORS, ...ARRAY_OPERATORS, ...OBJECT_OPERATORS, ...CONTROL_OPERATORS };

/** A container whose fields a path reads (not an array, a Date or a BSON value); $unwind walks its path the same way. */
export function isPlainContainer(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    (value as { _bsontype?: unknown })._bsontype === undefined
  );
}

/**
 * A `$literal`'s value: a document or an array is copied at each evaluation, so that no two
 * results (nor the pipeline's own spec) share it.
 */
function literal(value: unknown): Compiled {
  if (Array.isArray(value) || isPlainObject(value)) return () => cloneDocument(value);
  return () => value;
}

/**
 * Variables in scope at compile time: name → slot of the frame, and the next free slot (a
 * shadowing name gets a new slot: the enclosing one is still live).
 */
interface Scope {
  readonly slots: ReadonlyMap<string, number>;
  readonly next: number;
}

const TOP: Scope = { slots: new Map(), next: 0 };

class ExpressionCompiler {
  /** Variable values, by slot; see Compiler.bind. */
  private readonly frame: unknown[] = [];

  constructor(private readonly evaluate: Evaluate) {}

  /** Evaluates `expr` with mingo, with the variables of `scope` at their current values. */
  private fallback(expr: unknown, scope: Scope): Compiled {
    if (scope.slots.size === 0) return (doc) => this.evaluate(doc, expr);
    const entries = [...scope.slots];
    return (doc) => {
      const variables: Record<string, unknown> = {};
      for (const [name, slot] of entries) variables[name] = this.frame[slot];
      return this.evaluate(doc, expr, variables);
    };
  }

  private compilerFor(scope: Scope): Compiler {
    return {
      compile: (expr) => this.compile(expr, scope),
      bind: (names) => {
        const slots = new Map(scope.slots);
        names.forEach((name, i) => slots.set(name, scope.next + i));
        const inner: Scope = { slots, next: scope.next + names.length };
        return {
          compile: (expr) => this.compile(expr, inner),
          set: (index, value) => void (this.frame[scope.next + index] = value),
        };
      },
      bound: (name) => scope.slots.has(name),
    };
  }

  /** A path below a value: plain documents only; an array on the way (MongoDB's traversal) goes to mingo. */
  private path(read: Compiled, parts: readonly string[], expr: string, scope: Scope): Compiled {
    if (parts.length === 0) return read;
    const slow = this.fallback(expr, scope);
    if (parts.length === 1) {
      const field = parts[0]!;
      return (doc) => {
        const at = read(doc);
        if (isPlainContainer(at)) return at[field];
        return Array.isArray(at) ? slow(doc) : undefined;
      };
    }
    return (doc) => {
      let at = read(doc);
      for (const part of parts) {
        if (Array.isArray(at)) return slow(doc);
        if (!isPlainContainer(at)) return undefined;
        at = at[part];
      }
      return at;
    };
  }

  /** A variable, or one field below it: read from the frame directly (the everyday `$$this.k`). */
  private variable(slot: number, parts: readonly string[], expr: string, scope: Scope): Compiled {
    const frame = this.frame;
    if (parts.length === 0) return () => frame[slot];
    if (parts.length > 1) return this.path(() => frame[slot], parts, expr, scope);
    const field = parts[0]!;
    const slow = this.fallback(expr, scope);
    return (doc) => {
      const at = frame[slot];
      if (isPlainContainer(at)) return at[field];
      return Array.isArray(at) ? slow(doc) : undefined;
    };
  }

  private compileString(expr: string, scope: Scope): Compiled {
    if (!expr.startsWith('$')) return () => expr;
    if (!expr.startsWith('$$')) {
      const parts = expr.slice(1).split('.');
      if (parts.length === 1) {
        const field = parts[0]!;
        const slow = this.fallback(expr, scope);
        return (doc) => (isPlainContainer(doc) ? doc[field] : slow(doc));
      }
      return this.path((doc) => doc, parts, expr, scope);
    }
    const [name, ...parts] = expr.slice(2).split('.');
    // System variables first, as mingo resolves them: $$ROOT is the document, $$REMOVE missing;
    // $$CURRENT, $$NOW and the command's `let` variables are mingo's.
    if (name === 'ROOT') return this.path((doc) => doc, parts, expr, scope);
    if (name === 'REMOVE' && parts.length === 0) return () => undefined;
    const slot = name === 'CURRENT' || name === 'NOW' ? undefined : scope.slots.get(name!);
    if (slot !== undefined) return this.variable(slot, parts, expr, scope);
    return this.fallback(expr, scope);
  }

  compile(expr: unknown, scope: Scope): Compiled {
    if (typeof expr === 'string') return this.compileString(expr, scope);
    if (expr === null || typeof expr !== 'object') return () => expr;
    if (expr instanceof Date || (expr as { _bsontype?: unknown })._bsontype !== undefined || expr instanceof RegExp) return () => expr;
    if (Array.isArray(expr)) {
      const items = expr.map((item) => this.compile(item, scope));
      // In an array literal a missing value becomes null, as in MongoDB.
      return (doc) => items.map((item) => item(doc) ?? null);
    }
    const keys = Object.keys(expr);
    if (keys.length === 1 && keys[0]!.startsWith('$')) {
      const name = keys[0]!;
      const operand = (expr as Record<string, unknown>)[name];
      if (name === '$literal') return literal(operand);
      const slow = this.fallback(expr, scope);
      const fast = OPERATORS[name]?.(operand, this.compilerFor(scope));
      if (!fast) return slow;
      return (doc) => {
        const value = fast(doc);
        return value === SLOW ? slow(doc) : value;
      };
    }
    if (keys.some((key) => key.startsWith('$') || key.includes('.'))) return this.fallback(expr, scope);
    // An object literal: each field evaluated, missing ones left out.
    const fields = keys.map((key) => [key, this.compile((expr as Record<string, unknown>)[key], scope)] as const);
    return (doc) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of fields) {
        const v = value(doc);
        if (v !== undefined) out[key] = v;
      }
      return out;
    };
  }
}

export function compileExpression(expr: unknown, evaluate: Evaluate): Compiled {
  return new ExpressionCompiler(evaluate).compile(expr, TOP);
}
