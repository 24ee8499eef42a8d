/** Compiled object operators: `$mergeObjects` (the expression form, with a list of documents). */
import { type Compiled, isNullish, isPlainObject, type Operator, SLOW } from './support.js';

const $mergeObjects: Operator = (operand, { compile }) => {
  if (!Array.isArray(operand)) return undefined;
  const args: Compiled[] = operand.map(compile);
  return (doc) => {
    const out: Record<string, unknown> = {};
    for (const arg of args) {
      const value = arg(doc);
      if (isNullish(value)) continue;
      if (!isPlainObject(value)) return SLOW;
      // As mingo: a field keeps its first place, takes the last defined value.
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v !== undefined) out[key] = v;
      }
    }
    return out;
  };
};

export const OBJECT_OPERATORS: Record<string, Operator> = { $mergeObjects };
