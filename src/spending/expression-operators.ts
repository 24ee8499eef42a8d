/**
 * The aggregation expressions a spending filter may use in `$expr`: comparisons, arithmetic,
 * conditions, conversions and string functions on the fields of one document. Refused: the
 * operators whose work is not bounded by the document (`$range` builds arrays of any size;
 * `$map`, `$filter` and `$reduce` over literal arrays multiply; `$let` can double a string per
 * level; `$replaceAll` multiplies it), server-side JavaScript (`$function`, `$accumulator`),
 * and everything a filter on `customer_spending` does not need. A `$regexMatch` needs a
 * literal pattern, which regex-safety.ts then judges.
 */
import { bsonType, isPlainObject, isRegex } from './bson-values.js';
import { FilterError } from './errors.js';
import { forbidden, JAVASCRIPT_KEYS } from './no-javascript.js';

/** The comparisons, which a query (`{ field: { $gt: 1 } }`) and an expression (`{ $gt: ['$field', 1] }`) name alike. */
export const COMPARISON_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'] as const;

export const EXPRESSION_OPERATORS: ReadonlySet<string> = new Set([
  // comparison and logic
  ...COMPARISON_OPERATORS,
  '$cmp',
  '$and',
  '$or',
  '$not',
  // arithmetic
  '$add',
  '$subtract',
  '$multiply',
  '$divide',
  '$mod',
  '$abs',
  '$ceil',
  '$floor',
  '$round',
  '$trunc',
  '$sqrt',
  '$pow',
  '$exp',
  '$ln',
  '$log',
  '$log10',
  '$sum',
  '$avg',
  '$min',
  '$max',
  // conditions, fields, literals
  '$cond',
  '$ifNull',
  '$switch',
  '$literal',
  '$getField',
  // types
  '$type',
  '$isNumber',
  '$isArray',
  '$toBool',
  '$toDouble',
  '$toDecimal',
  '$toInt',
  '$toLong',
  '$toString',
  '$convert',
  // strings
  '$concat',
  '$toLower',
  '$toUpper',
  '$strLenCP',
  '$strLenBytes',
  '$substrCP',
  '$substrBytes',
  '$indexOfCP',
  '$strcasecmp',
  '$trim',
  '$ltrim',
  '$rtrim',
  '$regexMatch',
  // arrays and objects of the document
  '$size',
  '$objectToArray',
  '$arrayElemAt',
  '$in',
  '$first',
  '$last',
]);

function refuse(operator: string, path: string): never {
  if (JAVASCRIPT_KEYS.has(operator)) forbidden(`'${operator}'`, path);
  throw new FilterError(
    'FORBIDDEN_OPERATOR',
    `the expression operator '${operator}' is not allowed at '${path}': $expr accepts comparisons, arithmetic, conditions, conversions and string functions on the document's fields (${[...EXPRESSION_OPERATORS].join(', ')})`,
    { path },
  );
}

/**
 * Accepts an aggregation expression made of allowed operators (any depth up to `maxDepth`);
 * throws a `FilterError` (`FORBIDDEN_OPERATOR`, or `BAD_FILTER` for a malformed one).
 */
export function checkExpression(value: unknown, path: string, depth: number, maxDepth: number): void {
  if (depth > maxDepth) throw new FilterError('BAD_FILTER', `the filter is nested more than ${maxDepth} levels deep`, { path });
  if (typeof value === 'function') forbidden('A JavaScript function', path);
  const type = bsonType(value);
  if (type === 'Code' || type === 'CodeWScope') forbidden('A JavaScript Code value', path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkExpression(item, `${path}[${index}]`, depth + 1, maxDepth));
    return;
  }
  if (!isPlainObject(value)) return; // a field path ("$email"), a variable ("$$ROOT"), a literal value
  const keys = Object.keys(value);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length === 0) {
    // An object literal, or the named arguments of the enclosing operator ({ input, regex }...).
    for (const key of keys) checkExpression(value[key], `${path}.${key}`, depth + 1, maxDepth);
    return;
  }
  if (keys.length > 1) {
    throw new FilterError('BAD_FILTER', `an expression object must hold exactly one operator at '${path}', found ${keys.map((key) => `'${key}'`).join(', ')}`, {
      path,
    });
  }
  const operator = operators[0]!;
  const here = `${path}.${operator}`;
  if (!EXPRESSION_OPERATORS.has(operator)) refuse(operator, here);
  const args = value[operator];
  if (operator === '$literal') {
    checkExpression(args, here, depth + 1, maxDepth); // a literal holds no operators to run, but no JavaScript either
    return;
  }
  if (operator === '$regexMatch') {
    const regex = isPlainObject(args) ? args.regex : undefined;
    if ((typeof regex !== 'string' || regex.startsWith('$')) && !isRegex(regex)) {
      throw new FilterError(
        'BAD_FILTER',
        `$regexMatch needs a literal pattern in 'regex' at '${here}' (a string or a regular expression, not a field path or an expression)`,
        { path: here },
      );
    }
  }
  checkExpression(args, here, depth + 1, maxDepth);
}
