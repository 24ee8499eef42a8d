/** Cursor pagination helpers and the spending filter builder: pure functions, no database. */
import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { afterFilter, andFilters, decodeCursor, encodeCursor, pageSize, toPage } from '../../../src/read-models/cursor.js';
import { buildSpendingFilter, escapeRegex } from '../../../src/read-models/spending-page.js';
import { AppError } from '../../../src/errors.js';

const byAvgDesc = { field: 'monthly_avg_expense', direction: -1 as const };

describe('cursors', () => {
  it('round-trip the sort value and the _id', () => {
    const id = new ObjectId();
    const cursor = encodeCursor({ field: '_id', direction: 1 }, { value: null, id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = decodeCursor(cursor, { field: '_id', direction: 1 });
    expect(String(back.id)).toBe(id.toHexString());
    expect(decodeCursor(encodeCursor(byAvgDesc, { value: 12.5, id: 'abc' }), byAvgDesc)).toEqual({ value: 12.5, id: 'abc' });
  });

  it('refuse garbage, a cursor of another sort, and operator objects', () => {
    const cursor = encodeCursor(byAvgDesc, { value: 1, id: 'a' });
    expect(() => decodeCursor('not a cursor!', byAvgDesc)).toThrow(/invalid cursor/);
    expect(() => decodeCursor('eyJ4IjoxfQ', byAvgDesc)).toThrow(/invalid cursor/);
    expect(() => decodeCursor(cursor, { field: 'email', direction: 1 })).toThrow(/sorted by monthly_avg_expense descending, not by email ascending/);
    const hostile = Buffer.from(JSON.stringify({ f: 'email', d: 1, v: { $where: 'sleep(1000)' }, i: 'x' })).toString('base64url');
    expect(() => decodeCursor(hostile, { field: 'email', direction: 1 })).toThrow(/invalid cursor/);
    let thrown: unknown;
    try {
      decodeCursor('@@', byAvgDesc);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as AppError | undefined)?.code).toBe('BAD_USER_INPUT');
  });

  it('build "after" filters for both directions and for nulls', () => {
    expect(afterFilter({ field: '_id', direction: 1 }, { value: null, id: 5 })).toEqual({ _id: { $gt: 5 } });
    expect(afterFilter({ field: 'a', direction: 1 }, { value: 3, id: 5 })).toEqual({ $or: [{ a: { $gt: 3 } }, { a: 3, _id: { $gt: 5 } }] });
    expect(afterFilter({ field: 'a', direction: -1 }, { value: 3, id: 5 })).toEqual({ $or: [{ a: { $lt: 3 } }, { a: 3, _id: { $lt: 5 } }, { a: null }] });
    expect(afterFilter({ field: 'a', direction: 1 }, { value: null, id: 5 })).toEqual({ $or: [{ a: { $ne: null } }, { a: null, _id: { $gt: 5 } }] });
    expect(afterFilter({ field: 'a', direction: -1 }, { value: null, id: 5 })).toEqual({ $or: [{ a: null, _id: { $lt: 5 } }] });
  });

  it('pages: the extra row means a next page', async () => {
    const rows = [
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
      { _id: 'c', n: 3 },
    ];
    const page = toPage(rows, 2, { field: 'n', direction: 1 }, null, async () => 3);
    expect(page.edges.map((e) => e.node._id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page.pageInfo.endCursor).toBe(page.edges[1]!.cursor);
    expect(toPage(rows, 3, { field: 'n', direction: 1 }, 'x', async () => 3).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(toPage([], 3, { field: 'n', direction: 1 }, null, async () => 0).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('check page sizes', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(/first must be a whole number from 1 to 100/);
    expect(() => pageSize(101)).toThrow(/from 1 to 100/);
  });

  it('and filters without nesting empty parts', () => {
    expect(andFilters({}, {})).toEqual({});
    expect(andFilters({ a: 1 }, {})).toEqual({ a: 1 });
    expect(andFilters({ a: 1 }, { b: 2 })).toEqual({ $and: [{ a: 1 }, { b: 2 }] });
  });
});

describe('the spending filter', () => {
  it('turns every field into a condition', () => {
    expect(
      buildSpendingFilter({
        customerId: 'ABCDEF0123456789ABCDEF01',
        email: 'a@b.c',
        emailContains: 'x.y+z',
        minMonthlyAvg: 10,
        maxMonthlyAvg: 20,
        month: { month: 'dez', min: 5 },
        category: { category: 'Pet Shop', minAvg: 3 },
        where: { year: 2025 },
      }),
    ).toEqual({
      $and: [
        { _id: 'abcdef0123456789abcdef01' },
        { email: 'a@b.c' },
        { email: { $regex: 'x\\.y\\+z', $options: 'i' } },
        { monthly_avg_expense: { $gte: 10, $lte: 20 } },
        { 'monthly_spenses.dez': { $gte: 5 } },
        { 'categorized_monthly_avg_expense.Pet Shop': { $gte: 3 } },
        { year: 2025 },
      ],
    });
    expect(buildSpendingFilter(null)).toEqual({});
    expect(buildSpendingFilter({ minMonthlyAvg: 1 })).toEqual({ monthly_avg_expense: { $gte: 1 } });
  });

  it('escapes every regular expression character', () => {
    const special = '.*+?^${}()|[]\\';
    expect(new RegExp(escapeRegex(special)).test(`x${special}y`)).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });

  it('reads where as an object or as Extended JSON text, and refuses JavaScript', () => {
    expect(buildSpendingFilter({ where: '{"year": {"$gte": 2020}}' })).toEqual({ year: { $gte: 2020 } });
    const withDate = buildSpendingFilter({ where: { when: { $date: '2025-01-01T00:00:00Z' } } });
    expect((withDate as { when: unknown }).when).toBeInstanceOf(Date);
    for (const where of [
      { $where: 'true' },
      { email: { $function: {} } },
      '{"$where": "sleep(100)"}',
      { $expr: { $function: { body: 'x', args: [], lang: 'js' } } },
      { a: { $code: 'x' } },
    ]) {
      expect(() => buildSpendingFilter({ where })).toThrow(/filter\.where: .*(not allowed|server-side JavaScript)/);
    }
    expect(() => buildSpendingFilter({ where: '{"a": ' })).toThrow(/filter\.where: Malformed filter JSON/);
    expect(() => buildSpendingFilter({ where: [1] })).toThrow(/must be a JSON object/);
    expect(() => buildSpendingFilter({ where: { _id: { $oid: 'nope' } } })).toThrow(/filter\.where/);
  });

  it('refuses bad ids and category names', () => {
    expect(() => buildSpendingFilter({ customerId: 'nope' })).toThrow(/24 hexadecimal digits/);
    for (const category of ['', 'a.b', '$where']) expect(() => buildSpendingFilter({ category: { category, minAvg: 1 } })).toThrow(/not a category name/);
  });
});
