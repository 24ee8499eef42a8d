/** Compiled `$let` and `$cond`: variables and branches, with mingo's truthiness. */
import { type Compiled, isPlainObject, type Operator } from './support.js';

/** mingo's truthiness in strict mode (MongoDB's): everything but false, 0, null and missing; '' is true. */
export const truthy = (value: unknown): boolean => !!value || value === '';

const $let: Operator = (operand, compiler) => {
  if (!isPlainObject(operand) || !isPlainObject(operand.vars) || !Object.hasOwn(operand, 'in') || Object.keys(operand).length !== 2) return undefined;
  const names = Object.keys(operand.vars);
  // The variables are evaluated in the enclosing scope, then bound for `in`.
  const values: Compiled[] = names.map((name) => compiler.compile((operand.vars as Record<string, unknown>)[name]));
  const scope = compiler.bind(names);
  const body = scope.compile(operand.in);
  // All values first, then the bindings: a value's own sub-expressions may use the frame
  // slots about to be bound. One buffer per `$let` (evaluation never re-enters it).
  const computed = new Array<unknown>(values.length);
  return (doc) => {
    for (let i = 0; i < values.length; i++) computed[i] = values[i]!(doc);
    for (let i = 0; i < values.length; i++) scope.set(i, computed[i]);
    return body(doc);
  };
};

const $cond: Operator = (operand, { compile }) => {
  let parts: unknown[];
  if (Array.isArray(operand)) {
    if (operand.length !== 3) return undefined;
    parts = operand;
  } else if (
    isPlainObject(operand) &&
    Object.keys(operand).every((key) => key === 'if' || key === 'then' || key === 'else') &&
    Object.keys(operand).length === 3
  ) {
    parts = [operand.if, operand.then, operand.else];
  } else {
    return undefined;
  }
  const [test, then, otherwise] = parts.map(compile) as [Compiled, Compiled, Compiled];
  return (doc) => (truthy(test(doc)) ? then(doc) : otherwise(doc));
};

export const CONTROL_OPERATORS: Record<string, Operator> = { $let, $cond };
