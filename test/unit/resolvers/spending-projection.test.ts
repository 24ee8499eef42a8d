/** Which document fields a spending query fetches: pure, no database. */
import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { spendingPageProjection, spendingProjection } from '../../../src/resolvers/spending-projection.js';

const schema = buildSchema(`
  type D { firstName: String }
  type M { jan: Float dez: Float }
  type S { customerId: ID email: String year: Int details: D monthlySpenses: M monthlyAvgExpense: Float categorizedMonthlyAvgExpense: [String] }
  type E { cursor: String node: S }
  type P { hasNextPage: Boolean }
  type C { edges: [E] pageInfo: P totalCount: Int }
  type Query { one: S many: C }
`);

/** The resolve info of the root field, as a resolver sees it. */
function infoOf(query: string, field: 'one' | 'many'): GraphQLResolveInfo {
  let captured: GraphQLResolveInfo | undefined;
  void execute({
    schema,
    document: parse(query),
    fieldResolver: (_source, _args, _context, info) => {
      if (info.fieldName === field && info.path.prev === undefined) captured = info;
      return null;
    },
  });
  return captured!;
}

describe('spending projections', () => {
  it('fetch only the asked fields, through fragments', () => {
    expect(spendingProjection(infoOf('{ one { customerId email __typename } }', 'one'))).toEqual({ customer_id: 1, email: 1 });
    expect(spendingProjection(infoOf('{ one { ...F ... on S { year } } } fragment F on S { monthlySpenses { jan } }', 'one'))).toEqual({
      monthly_spenses: 1,
      year: 1,
    });
  });

  it('fetch everything when in doubt', () => {
    expect(spendingProjection(infoOf('{ one { email @include(if: true) } }', 'one'))).toBeUndefined();
  });

  it('pages add the sort field, without path collisions', () => {
    expect(spendingPageProjection(infoOf('{ many { edges { node { email } } } }', 'many'), 'monthly_spenses.dez')).toEqual({
      email: 1,
      'monthly_spenses.dez': 1,
    });
    expect(spendingPageProjection(infoOf('{ many { edges { node { monthlySpenses { jan } } } } }', 'many'), 'monthly_spenses.dez')).toEqual({
      monthly_spenses: 1,
    });
    expect(spendingPageProjection(infoOf('{ many { edges { node { email } } } }', 'many'), '_id')).toEqual({ email: 1 });
    expect(spendingPageProjection(infoOf('{ many { totalCount pageInfo { hasNextPage } } }', 'many'), 'email')).toEqual({ email: 1 });
    expect(spendingPageProjection(infoOf('{ many { edges { cursor } } }', 'many'), 'email')).toEqual({ email: 1 });
    expect(spendingPageProjection(infoOf('{ many { edges { node { email } } e: edges { node { year } } } }', 'many'), 'email')).toBeUndefined();
  });
});
