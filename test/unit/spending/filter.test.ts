/**
 * The filter-validation catalogue: hostile operators wherever they hide, malformed JSON with
 * its position, valid filters (Extended JSON included), sorts and field lists.
 */
import { BSONRegExp, Code, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  FilterError,
  parseAndValidateFilter,
  parseFields,
  parseFilterJson,
  parseSort,
  positionOf,
  SpendingInputError,
  validateFilter,
  validateProjection,
  validateSort,
} from '../../../src/spending/index.js';
import { ErrorCodes, UserInputError } from '../../../src/errors.js';

function errorOf(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return error as FilterError;
  }
  throw new Error('expected a FilterError, nothing was thrown');
}

describe('validateFilter: server-side JavaScript is refused anywhere', () => {
  const hostile: { message: string; filter: string; path: string; word: string }[] = [
    { message: '$where at the top level', filter: '{"$where": "this.a > 1"}', path: '$where', word: '$where' },
    { message: '$where with a function body', filter: '{"email": "x", "$where": "function() { return true }"}', path: '$where', word: '$where' },
    { message: '$where inside $and', filter: '{"$and": [{"year": 2025}, {"$where": "sleep(1000)"}]}', path: '$and[1].$where', word: '$where' },
    { message: '$where inside $or', filter: '{"$or": [{"$where": "1"}]}', path: '$or[0].$where', word: '$where' },
    { message: '$where inside $nor', filter: '{"$nor": [{"a": 1}, {"$where": "1"}]}', path: '$nor[1].$where', word: '$where' },
    { message: '$where nested in $and in $or', filter: '{"$or": [{"$and": [{"a": 1}, {"$where": "1"}]}]}', path: '$or[0].$and[1].$where', word: '$where' },
    { message: '$where inside $elemMatch', filter: '{"items": {"$elemMatch": {"$where": "1"}}}', path: 'items.$elemMatch.$where', word: '$where' },
    {
      message: '$where inside $elemMatch inside $or',
      filter: '{"items": {"$elemMatch": {"$or": [{"$where": "1"}]}}}',
      path: 'items.$elemMatch.$or[0].$where',
      word: '$where',
    },
    { message: '$where as a field operator', filter: '{"email": {"$where": "1"}}', path: 'email.$where', word: '$where' },
    { message: '$where inside $not', filter: '{"email": {"$not": {"$where": "1"}}}', path: 'email.$not.$where', word: '$where' },
    {
      message: '$function inside $expr',
      filter: '{"$expr": {"$function": {"body": "function() { return true }", "args": [], "lang": "js"}}}',
      path: '$expr.$function',
      word: '$function',
    },
    {
      message: '$function deep inside $expr',
      filter: '{"$expr": {"$and": [{"$gt": ["$monthly_avg_expense", 1]}, {"$eq": [{"$function": {"body": "x", "args": [], "lang": "js"}}, true]}]}}',
      path: '$expr.$and[1].$eq[0].$function',
      word: '$function',
    },
    {
      message: '$accumulator inside $expr',
      filter: '{"$expr": {"$accumulator": {"init": "function() {}", "accumulate": "x", "accumulateArgs": [], "merge": "x", "lang": "js"}}}',
      path: '$expr.$accumulator',
      word: '$accumulator',
    },
    {
      message: '$function inside $elemMatch inside $expr-like literal',
      filter: '{"a": {"$elemMatch": {"b": {"$eq": {"$function": 1}}}}}',
      path: 'a.$elemMatch.b.$eq.$function',
      word: '$function',
    },
    { message: 'Code value ($code) as an equality', filter: '{"email": {"$code": "function() {}"}}', path: 'email', word: 'Code' },
    { message: 'Code value inside $in', filter: '{"email": {"$in": ["a", {"$code": "1"}]}}', path: 'email.$in[1]', word: 'Code' },
    { message: 'Code value inside an array literal', filter: '{"tags": ["a", ["b", {"$code": "1"}]]}', path: 'tags[1][1]', word: 'Code' },
    { message: 'Code with scope', filter: '{"$and": [{"a": {"$code": "x", "$scope": {"y": 1}}}]}', path: '$and[0].a', word: 'Code' },
    {
      message: '$where inside a literal sub-document',
      filter: '{"details": {"first_name": {"x": [{"$where": "1"}]}}}',
      path: 'details.first_name.x[0].$where',
      word: '$where',
    },
    {
      message: '$where inside $jsonSchema',
      filter: '{"$jsonSchema": {"properties": {"a": {"$where": "1"}}}}',
      path: '$jsonSchema.properties.a.$where',
      word: '$where',
    },
    {
      message: '$where inside $all/$elemMatch',
      filter: '{"a": {"$all": [{"$elemMatch": {"$where": "1"}}]}}',
      path: 'a.$all[0].$elemMatch.$where',
      word: '$where',
    },
    { message: '$where as a dotted path segment', filter: '{"a.$where": 1}', path: 'a.$where', word: '$where' },
  ];

  it.each(hostile)('$message', ({ filter, path, word }) => {
    const error = errorOf(() => parseAndValidateFilter(filter));
    expect(error.reason).toBe('FORBIDDEN_OPERATOR');
    expect(error.path).toBe(path);
    expect(error.message).toContain(word);
    expect(error.message).toContain('JavaScript');
  });

  it('refuses Code and functions handed over as objects (GraphQL / library callers)', () => {
    expect(errorOf(() => validateFilter({ a: new Code('function() {}') })).reason).toBe('FORBIDDEN_OPERATOR');
    expect(errorOf(() => validateFilter({ $or: [{ a: { $in: [() => 1] } }] })).path).toBe('$or[0].a.$in[0]');
    expect(errorOf(() => validateFilter({ $expr: { $function: { body: () => true, args: [], lang: 'js' } } })).path).toBe('$expr.$function');
  });
});

describe('validateFilter: unknown operators and malformed conditions', () => {
  const bad: { message: string; filter: string; path: string; word: string }[] = [
    { message: 'unknown top-level operator', filter: '{"$foo": 1}', path: '$foo', word: "'$foo'" },
    { message: 'field operator used at the top level', filter: '{"$gt": 1}', path: '$gt', word: "'$gt'" },
    { message: 'unknown field operator', filter: '{"email": {"$regexp": "a"}}', path: 'email.$regexp', word: "'$regexp'" },
    { message: 'unknown operator nested in $and', filter: '{"$and": [{"a": {"$gte": 1, "$lesser": 2}}]}', path: '$and[0].a.$lesser', word: "'$lesser'" },
    { message: 'unknown operator inside $elemMatch', filter: '{"a": {"$elemMatch": {"b": {"$bogus": 1}}}}', path: 'a.$elemMatch.b.$bogus', word: "'$bogus'" },
    { message: 'unknown operator inside $not', filter: '{"a": {"$not": {"$nope": 1}}}', path: 'a.$not.$nope', word: "'$nope'" },
    { message: '$expr below the top level', filter: '{"a": {"$expr": {"$eq": [1, 1]}}}', path: 'a.$expr', word: "'$expr'" },
    { message: '$text inside $elemMatch', filter: '{"a": {"$elemMatch": {"$text": {"$search": "x"}}}}', path: 'a.$elemMatch.$text', word: "'$text'" },
    { message: '$and that is not an array', filter: '{"$and": {"a": 1}}', path: '$and', word: '$and' },
    { message: 'empty $or', filter: '{"$or": []}', path: '$or', word: '$or' },
    { message: '$or with a non-document element', filter: '{"$or": [1]}', path: '$or[0]', word: '$or' },
    { message: '$in that is not an array', filter: '{"a": {"$in": 5}}', path: 'a.$in', word: '$in' },
    { message: '$elemMatch that is not a document', filter: '{"a": {"$elemMatch": 5}}', path: 'a.$elemMatch', word: '$elemMatch' },
    { message: '$not with a plain value', filter: '{"a": {"$not": 5}}', path: 'a.$not', word: '$not' },
    { message: 'operators mixed with field names', filter: '{"a": {"$gt": 1, "b": 2}}', path: 'a.b', word: "'b'" },
    { message: 'field path with an empty segment', filter: '{"a..b": 1}', path: 'a..b', word: 'empty segment' },
    { message: 'field path segment starting with $', filter: '{"a.$b": 1}', path: 'a.$b', word: "'$'" },
  ];
  it.each(bad)('$message', ({ filter, path, word }) => {
    const error = errorOf(() => parseAndValidateFilter(filter));
    expect(error.reason).toBe('BAD_FILTER');
    expect(error.path).toBe(path);
    expect(error.message).toContain(word);
  });

  it.each([
    ['[1, 2]', 'an array'],
    ['"text"', 'string'],
    ['null', 'null'],
    ['42', 'number'],
  ])('refuses a filter that is not an object: %s', (text, kind) => {
    const error = errorOf(() => parseAndValidateFilter(text));
    expect(error.reason).toBe('BAD_FILTER');
    expect(error.message).toContain(kind);
  });

  it('refuses absurdly deep filters', () => {
    let filter = '{"a": 1}';
    for (let i = 0; i < 150; i++) filter = `{"$and": [${filter}]}`;
    expect(errorOf(() => parseAndValidateFilter(filter)).reason).toBe('BAD_FILTER');
  });
});

describe('validateFilter: valid filters are accepted unchanged', () => {
  const valid: { message: string; filter: string; check?: (doc: Record<string, unknown>) => void }[] = [
    { message: 'empty filter', filter: '{}' },
    { message: 'equality on the _id string', filter: '{"_id": "65a1b2c3d4e5f60718293a4b"}' },
    { message: 'range on the average', filter: '{"monthly_avg_expense": {"$gte": 100, "$lt": 500.5}}' },
    { message: 'dotted path with an accented category', filter: '{"categorized_monthly_avg_expense.Eletrônicos": {"$gt": 10}}' },
    { message: 'dotted month path', filter: '{"categorized_monthly_expenses.dez.Livros": {"$exists": true}, "monthly_spenses.jan": 0}' },
    { message: '$in and $nin', filter: '{"email": {"$in": ["a@x.com", "b@x.com"]}, "year": {"$nin": [2020]}}' },
    { message: '$exists false', filter: '{"categorized_monthly_avg_expense.Casa": {"$exists": false}}' },
    {
      message: '$regex with $options (becomes a regular expression)',
      filter: '{"email": {"$regex": "@example\\\\.com$", "$options": "i"}}',
      check: (doc) => expect(doc.email).toBeInstanceOf(BSONRegExp),
    },
    { message: '$regex alone', filter: '{"details.first_name": {"$regex": "^An"}}' },
    { message: '$not with a regex', filter: '{"email": {"$not": {"$regex": "gmail"}}}' },
    { message: '$not with operators', filter: '{"monthly_avg_expense": {"$not": {"$gt": 10}}}' },
    {
      message: 'Extended JSON $oid',
      filter: '{"ref": {"$oid": "65a1b2c3d4e5f60718293a4b"}}',
      check: (doc) => expect(doc.ref).toEqual(new ObjectId('65a1b2c3d4e5f60718293a4b')),
    },
    {
      message: 'Extended JSON $date in a range',
      filter: '{"updated_at": {"$gte": {"$date": "2025-01-01T00:00:00Z"}}}',
      check: (doc) => expect((doc.updated_at as { $gte: unknown }).$gte).toEqual(new Date('2025-01-01T00:00:00Z')),
    },
    { message: 'Extended JSON $numberLong (relaxed: a number)', filter: '{"year": {"$numberLong": "2025"}}', check: (doc) => expect(doc.year).toBe(2025) },
    {
      message: '$and / $or / $nor',
      filter: '{"$and": [{"year": 2025}, {"$or": [{"email": "a"}, {"monthly_avg_expense": {"$gt": 1}}]}], "$nor": [{"email": "z"}]}',
    },
    { message: '$expr with aggregation operators', filter: '{"$expr": {"$gt": ["$monthly_spenses.dez", "$monthly_spenses.nov"]}}' },
    { message: '$elemMatch with field conditions', filter: '{"items": {"$elemMatch": {"k": "Casa", "v": {"$gte": 1}}}}' },
    { message: '$elemMatch on scalars', filter: '{"scores": {"$elemMatch": {"$gte": 80, "$lt": 85}}}' },
    { message: '$elemMatch with $or', filter: '{"items": {"$elemMatch": {"$or": [{"k": "a"}, {"k": "b"}]}}}' },
    { message: '$all with $elemMatch', filter: '{"items": {"$all": [{"$elemMatch": {"k": "a"}}, {"$elemMatch": {"k": "b"}}]}}' },
    { message: '$size, $type, $mod', filter: '{"a": {"$size": 2}, "b": {"$type": ["double", "int"]}, "c": {"$mod": [4, 0]}}' },
    { message: 'literal sub-document equality', filter: '{"details": {"first_name": "Ana", "last_name": "Silva"}}' },
    { message: '$text and $comment at the top level', filter: '{"$text": {"$search": "ana"}, "$comment": "from the CLI"}' },
    { message: 'strings that merely mention $where are fine', filter: '{"email": "$where@example.com", "note": "function() {}"}' },
  ];
  it.each(valid)('$message', ({ filter, check }) => {
    const parsed = parseAndValidateFilter(filter);
    expect(validateFilter(parsed)).toBe(parsed);
    check?.(parsed);
  });

  it('accepts native values from library callers (ObjectId, Date, RegExp)', () => {
    const filter = { a: new ObjectId(), b: { $lt: new Date() }, c: /x/i, d: { $in: [new BSONRegExp('y', 'i')] } };
    expect(validateFilter(filter)).toBe(filter);
  });

  it('a blank filter means everything', () => {
    expect(parseFilterJson('')).toEqual({});
    expect(parseFilterJson('  \n ')).toEqual({});
  });
});

describe('parseFilterJson: malformed JSON reports where', () => {
  const malformed: { message: string; text: string; line: number; column: number; words: string[] }[] = [
    { message: 'doubled comma', text: '{"a": 1,, "b": 2}', line: 1, column: 9, words: ['expected a property name', "','"] },
    { message: 'trailing comma in an object', text: '{"a": 1,}', line: 1, column: 9, words: ['trailing comma'] },
    { message: 'trailing comma in an array', text: '{"a": [1, 2,]}', line: 1, column: 13, words: ['trailing comma'] },
    { message: 'single-quoted string', text: "{'a': 1}", line: 1, column: 2, words: ['double quotes'] },
    { message: 'unquoted key (mongosh style)', text: '{email: "a"}', line: 1, column: 2, words: ['double quotes'] },
    { message: 'missing colon', text: '{"a" 1}', line: 1, column: 6, words: ["expected ':'"] },
    { message: 'missing closing brace', text: '{"a": 1', line: 1, column: 8, words: ['the end of the input'] },
    { message: 'missing comma between properties', text: '{"a": 1 "b": 2}', line: 1, column: 9, words: ["expected ',' or '}' after a property value"] },
    { message: 'missing comma between elements', text: '{"a": [1 2]}', line: 1, column: 10, words: ["expected ',' or ']' after an array element"] },
    {
      message: 'missing closing bracket',
      text: '{"a": [[], {}',
      line: 1,
      column: 14,
      words: ["expected ',' or ']' after an array element but found the end of the input"],
    },
    { message: 'error on a later line', text: '{\n  "a": 1,\n  "b": tru\n}', line: 3, column: 8, words: ['expected a value'] },
    { message: 'CRLF line endings', text: '{\r\n  "a": 1\r\n  "b": 2\r\n}', line: 3, column: 3, words: ["expected ',' or '}'"] },
    { message: 'garbage after the value', text: '{"a": 1} x', line: 1, column: 10, words: ['after the end'] },
    { message: 'unterminated string', text: '{"a": "abc', line: 1, column: 11, words: ['unterminated string'] },
    { message: 'bad escape', text: '{"a": "\\x"}', line: 1, column: 8, words: ['invalid escape'] },
    { message: 'raw newline inside a string', text: '{"a": "x\ny"}', line: 1, column: 9, words: ['control character'] },
    { message: 'leading zero / bad number', text: '{"a": -}', line: 1, column: 8, words: ['expected a digit'] },
    { message: 'comment', text: '{"a": 1 // c\n}', line: 1, column: 9, words: ["expected ',' or '}'"] },
    { message: 'empty after trimming? no: only a brace', text: '{', line: 1, column: 2, words: ['the end of the input'] },
  ];
  it.each(malformed)('$message', ({ text, line, column, words }) => {
    const error = errorOf(() => parseFilterJson(text));
    expect(error.reason).toBe('BAD_JSON');
    expect(error.position).toMatchObject({ line, column });
    expect(error.message).toContain(`line ${line}, column ${column}`);
    for (const word of words) expect(error.message).toContain(word);
    expect(error.excerpt).toBeTruthy();
    expect(error.message).toContain(error.excerpt!);
  });

  it('the excerpt is short and centred on the error', () => {
    const text = `{"a": "${'x'.repeat(100)}", "b": 1,, "c": "${'y'.repeat(100)}"}`;
    const error = errorOf(() => parseFilterJson(text));
    expect(error.excerpt!.length).toBeLessThanOrEqual(50);
    expect(error.excerpt).toContain('1,, "c"');
  });

  it('valid JSON but invalid Extended JSON is reported too', () => {
    const error = errorOf(() => parseFilterJson('{"a": {"$oid": "not-hex"}}'));
    expect(error.reason).toBe('BAD_JSON');
    expect(error.message).toContain('Extended JSON');
  });

  it('positionOf counts lines and columns from 1', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ offset: 4, line: 2, column: 2 });
    expect(positionOf('ab', 0)).toEqual({ offset: 0, line: 1, column: 1 });
  });
});

describe('parseSort', () => {
  it.each([
    ['{"monthly_avg_expense": -1, "email": 1}', { monthly_avg_expense: -1, email: 1 }],
    ['-monthly_avg_expense,email', { monthly_avg_expense: -1, email: 1 }],
    [' +email , -categorized_monthly_avg_expense.Casa ', { email: 1, 'categorized_monthly_avg_expense.Casa': -1 }],
    ['{"year": "desc"}', { year: -1 }],
    ['', {}],
  ])('%s', (text, expected) => {
    const sort = parseSort(text);
    expect(sort).toEqual(expected);
    expect(Object.keys(sort)).toEqual(Object.keys(expected));
  });

  it.each([
    ['{"a": 2}', 'must be 1 or -1'],
    ['{"a": {"$meta": "textScore"}}', 'must be 1 or -1'],
    ['{"$where": 1}', "starts with '$'"],
    ['a,,b', 'empty field'],
    ['a,-a', 'twice'],
    ['{"a": 1', 'line 1, column 8'],
    ['[1]', 'JSON object'],
  ])('refuses %s', (text, words) => {
    const error = errorOf(() => parseSort(text));
    expect(['BAD_SORT', 'BAD_JSON']).toContain(error.reason);
    expect(error.message).toContain(words);
  });
});

describe('parseFields', () => {
  it.each([
    ['customer_id,monthly_avg_expense', { customer_id: 1, monthly_avg_expense: 1, _id: 0 }],
    [' email , monthly_spenses.jan ', { email: 1, 'monthly_spenses.jan': 1, _id: 0 }],
    ['_id,email', { _id: 1, email: 1 }],
    ['email,email', { email: 1, _id: 0 }],
    ['', {}],
  ])('%s', (text, expected) => {
    expect(parseFields(text)).toEqual(expected);
  });

  it.each([
    ['a,,b', 'empty field'],
    ['$where', "starts with '$'"],
    ['a.$b', "starts with '$'"],
    ['a..b', 'empty segment'],
    ['monthly_spenses,monthly_spenses.jan', 'overlap'],
  ])('refuses %s', (text, words) => {
    const error = errorOf(() => parseFields(text));
    expect(error.reason).toBe('BAD_FIELDS');
    expect(error.message).toContain(words);
  });
});

describe('validateSort (objects from the API)', () => {
  it('accepts 1/-1 on field paths, in order', () => {
    const sort = validateSort({ monthly_avg_expense: -1, 'details.last_name': 1 });
    expect(Object.entries(sort)).toEqual([
      ['monthly_avg_expense', -1],
      ['details.last_name', 1],
    ]);
    expect(validateSort(undefined)).toEqual({});
  });

  it.each([
    [{ a: 2 }, 'must be 1 or -1'],
    [{ a: 'desc' }, 'must be 1 or -1'],
    [{ a: { $meta: 'textScore' } }, 'must be 1 or -1'],
    [{ $natural: 1 }, "starts with '$'"],
    [{ 'a..b': 1 }, 'empty segment'],
    [[['a', 1]], 'must be an object'],
  ])('refuses %j', (sort, words) => {
    const error = errorOf(() => validateSort(sort));
    expect(error.reason).toBe('BAD_SORT');
    expect(error.message).toContain(words);
  });
});

describe('validateProjection (objects from the API)', () => {
  it.each([
    [
      { email: 1, 'details.first_name': true },
      { email: 1, 'details.first_name': 1 },
    ],
    [
      { email: 1, _id: 0 },
      { email: 1, _id: 0 },
    ],
    [
      { categorized_monthly_expenses: 0, _id: false },
      { categorized_monthly_expenses: 0, _id: 0 },
    ],
    [undefined, {}],
  ])('accepts %j', (projection, expected) => {
    expect(validateProjection(projection)).toEqual(expected);
  });

  it.each([
    [{ email: { $function: { body: 'function() {}', args: [], lang: 'js' } } }, 'FORBIDDEN_OPERATOR', 'server-side JavaScript'],
    [{ email: { $concat: ['$email', '!'] } }, 'BAD_FIELDS', 'expressions are not accepted'],
    [{ email: 'x' }, 'BAD_FIELDS', 'must be 1 (include) or 0 (exclude)'],
    [{ email: 1, year: 0 }, 'BAD_FIELDS', 'both include and exclude'],
    [{ details: 1, 'details.first_name': 1 }, 'BAD_FIELDS', 'overlap'],
    [{ $where: 1 }, 'BAD_FIELDS', "starts with '$'"],
  ])('refuses %j', (projection, reason, words) => {
    const error = errorOf(() => validateProjection(projection));
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(words);
  });
});

describe('the errors are user-input errors', () => {
  it('FilterError and SpendingInputError are UserInputErrors with code BAD_USER_INPUT and a finer reason', () => {
    const error = errorOf(() => parseAndValidateFilter('{"$where": "1"}'));
    expect(error).toBeInstanceOf(SpendingInputError);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.code).toBe(ErrorCodes.BAD_USER_INPUT);
    expect(error.reason).toBe('FORBIDDEN_OPERATOR');
    expect(error.details).toMatchObject({ reason: 'FORBIDDEN_OPERATOR', path: '$where' });
    const json = errorOf(() => parseFilterJson('{"a": }'));
    expect(json.details).toMatchObject({ reason: 'BAD_JSON', position: { line: 1, column: 7, offset: 6 } });
  });
});
