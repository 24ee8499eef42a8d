/**
 * `$jsonSchema` (MongoDB manual, "$jsonSchema": the keywords MongoDB supports, draft 4 with
 * `bsonType`). The schema is compiled once into a test; a keyword MongoDB does not know is
 * refused as mongod refuses it, and MongoDB's keywords are all handled but
 * `dependencies` (refused: not silently ignored).
 */
import { ObjectId, type Document } from 'bson';
import { CommandError } from '../errors.js';

type Test = (value: unknown) => boolean;

const isDocument = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof RegExp) &&
  (v as { _bsontype?: unknown })._bsontype === undefined;

const bsonTypeOf = (v: unknown): string[] => {
  if (v === null) return ['null'];
  if (v === undefined) return ['undefined'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? ['int', 'number'] : ['double', 'number'];
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  if (v instanceof ObjectId) return ['objectId'];
  const bsontype = (v as { _bsontype?: string })._bsontype;
  if (bsontype === 'Long') return ['long', 'number'];
  if (bsontype === 'Int32') return ['int', 'number'];
  if (bsontype === 'Double') return ['double', 'number'];
  if (bsontype === 'Decimal128') return ['decimal', 'number'];
  if (bsontype === 'Binary') return ['binData'];
  if (bsontype === 'Timestamp') return ['timestamp'];
  if (bsontype === 'BSONRegExp') return ['regex'];
  if (bsontype !== undefined) return [bsontype.toLowerCase()];
  return ['object'];
};

/** JSON Schema's `type` names, as MongoDB maps them (no `integer`: mongod refuses it). */
const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  object: isDocument,
  array: Array.isArray,
  number: (v) => bsonTypeOf(v).includes('number'),
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  null: (v) => v === null,
};

const BSON_TYPES = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
  'number',
]);

const toNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  if (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'Decimal128') return Number(String(v));
  return undefined;
};

const fail = (message: string): never => {
  throw new CommandError('FailedToParse', message);
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function compile(schema: unknown, path: string): Test {
  if (!isDocument(schema)) fail(`$jsonSchema keyword '${path}' must be an object`);
  const s = schema as Document;
  const tests: Test[] = [];
  for (const [keyword, arg] of Object.entries(s)) {
    switch (keyword) {
      case 'title':
      case 'description':
        break;
      case 'bsonType': {
        const names = Array.isArray(arg) ? arg : [arg];
        for (const name of names) if (!BSON_TYPES.has(name as string)) fail(`Unknown type name alias: ${String(name)}`);
        tests.push((v) => v === undefined || bsonTypeOf(v).some((t) => names.includes(t)));
        break;
      }
      case 'type': {
        const names = Array.isArray(arg) ? arg : [arg];
        for (const name of names)
          if (!JSON_TYPES[name as string])
            fail(name === 'integer' ? "$jsonSchema type 'integer' is not currently supported." : `Unknown type name alias: ${String(name)}`);
        tests.push((v) => v === undefined || names.some((name) => JSON_TYPES[name as string]!(v)));
        break;
      }
      case 'required': {
        if (!Array.isArray(arg) || arg.length === 0) fail("$jsonSchema keyword 'required' must be a non-empty array of strings");
        const fields = arg as string[];
        tests.push((v) => !isDocument(v) || fields.every((field) => v[field] !== undefined));
        break;
      }
      case 'properties': {
        if (!isDocument(arg)) fail("$jsonSchema keyword 'properties' must be an object");
        const fields = Object.entries(arg as Document).map(([field, sub]) => [field, compile(sub, `${path}.${field}`)] as const);
        tests.push((v) => !isDocument(v) || fields.every(([field, test]) => v[field] === undefined || test(v[field])));
        break;
      }
      case 'patternProperties': {
        if (!isDocument(arg)) fail("$jsonSchema keyword 'patternProperties' must be an object");
        const patterns = Object.entries(arg as Document).map(([pattern, sub]) => [new RegExp(pattern, 'u'), compile(sub, path)] as const);
        tests.push((v) => !isDocument(v) || Object.entries(v).every(([field, value]) => patterns.every(([re, test]) => !re.test(field) || test(value))));
        break;
      }
      case 'additionalProperties': {
        const declared = new Set(Object.keys((s.properties as Document | undefined) ?? {}));
        const patterns = Object.keys((s.patternProperties as Document | undefined) ?? {}).map((p) => new RegExp(p, 'u'));
        const extra = (field: string) => !declared.has(field) && !patterns.some((re) => re.test(field));
        if (arg === true) break;
        const test: Test = arg === false ? () => false : compile(arg, path);
        tests.push((v) => !isDocument(v) || Object.entries(v).every(([field, value]) => !extra(field) || test(value)));
        break;
      }
      case 'minProperties':
      case 'maxProperties': {
        const n = toNumber(arg) ?? fail(`$jsonSchema keyword '${keyword}' must be a number`);
        tests.push((v) => !isDocument(v) || (keyword === 'minProperties' ? Object.keys(v).length >= n : Object.keys(v).length <= n));
        break;
      }
      case 'minimum':
      case 'maximum': {
        const bound = toNumber(arg) ?? fail(`$jsonSchema keyword '${keyword}' must be a number`);
        const exclusive = s[keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true;
        tests.push((v) => {
          const n = toNumber(v);
          if (n === undefined) return true;
          if (keyword === 'minimum') return exclusive ? n > bound : n >= bound;
          return exclusive ? n < bound : n <= bound;
        });
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof arg !== 'boolean') fail(`$jsonSchema keyword '${keyword}' must be a boolean`);
        if (!(keyword.replace('exclusiveM', 'm') in s))
          fail(`$jsonSchema keyword '${keyword.replace('exclusiveM', 'm')}' must be a present if ${keyword} is present`);
        break;
      case 'multipleOf': {
        const m = toNumber(arg) ?? fail("$jsonSchema keyword 'multipleOf' must be a number");
        tests.push((v) => {
          const n = toNumber(v);
          return n === undefined || Number.isInteger(n / m);
        });
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const n = toNumber(arg) ?? fail(`$jsonSchema keyword '${keyword}' must be a number`);
        tests.push((v) => typeof v !== 'string' || (keyword === 'minLength' ? [...v].length >= n : [...v].length <= n));
        break;
      }
      case 'pattern': {
        if (typeof arg !== 'string') fail("$jsonSchema keyword 'pattern' must be a string");
        const re = new RegExp(arg as string, 'u');
        tests.push((v) => typeof v !== 'string' || re.test(v));
        break;
      }
      case 'enum': {
        if (!Array.isArray(arg) || arg.length === 0) fail("$jsonSchema keyword 'enum' must be a non-empty array");
        const values = arg as unknown[];
        tests.push((v) => v === undefined || values.some((e) => sameValue(e, v)));
        break;
      }
      case 'items': {
        if (Array.isArray(arg)) {
          const each = arg.map((sub, i) => compile(sub, `${path}.${i}`));
          const additional = s.additionalItems;
          const rest: Test = additional === false ? () => false : isDocument(additional) ? compile(additional, path) : () => true;
          tests.push((v) => !Array.isArray(v) || v.every((e, i) => (i < each.length ? each[i]!(e) : rest(e))));
        } else {
          const each = compile(arg, path);
          tests.push((v) => !Array.isArray(v) || v.every(each));
        }
        break;
      }
      case 'additionalItems':
        break;
      case 'minItems':
      case 'maxItems': {
        const n = toNumber(arg) ?? fail(`$jsonSchema keyword '${keyword}' must be a number`);
        tests.push((v) => !Array.isArray(v) || (keyword === 'minItems' ? v.length >= n : v.length <= n));
        break;
      }
      case 'uniqueItems':
        if (arg === true) tests.push((v) => !Array.isArray(v) || new Set(v.map((e) => JSON.stringify(e))).size === v.length);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(arg) || arg.length === 0) fail(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
        const subs = (arg as unknown[]).map((sub) => compile(sub, path));
        if (keyword === 'allOf') tests.push((v) => subs.every((t) => t(v)));
        else if (keyword === 'anyOf') tests.push((v) => subs.some((t) => t(v)));
        else tests.push((v) => subs.filter((t) => t(v)).length === 1);
        break;
      }
      case 'not': {
        const sub = compile(arg, path);
        tests.push((v) => !sub(v));
        break;
      }
      case 'dependencies':
        throw new CommandError(
          'NotImplemented',
          "the datadragon engine does not support the $jsonSchema keyword 'dependencies'; validate without it, or against MongoDB",
        );
      default:
        fail(`Unknown $jsonSchema keyword: ${keyword}`);
    }
  }
  return (value) => tests.every((test) => test(value));
}

/** mingo's `jsonSchemaValidator` option: the schema compiled (and refused when invalid) at parse time. */
export function jsonSchemaValidator(schema: unknown): (doc: unknown) => boolean {
  return compile(schema, '$jsonSchema');
}
