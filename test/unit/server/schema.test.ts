/**
 * The committed schema.graphql is the schema the code builds (regenerate it with
 * `npm run codegen`), and every example operation of the playground is valid against it.
 */
import fs from 'node:fs';
import { buildSchema as buildSdl, parse, printSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, EXAMPLE_OPERATIONS } from '../../../src/server/index.js';

const SCHEMA_FILE = new URL('../../../schema.graphql', import.meta.url);

describe('schema.graphql', () => {
  it('matches the schema built from the code (run `npm run codegen` after changing types or resolvers)', async () => {
    const printed = printSchema(await buildAppSchema());
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printed);
  });

  it('has the operations of the API (docs/ARCHITECTURE.md §4)', () => {
    const schema = buildSdl(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    for (const name of [
      'job',
      'jobs',
      'seedJob',
      'seedJobs',
      'crunchJob',
      'spendingStatus',
      'customerSpending',
      'customerSpendings',
      'users',
      'products',
      'orders',
    ])
      expect(query).toHaveProperty(name);
    for (const name of ['seedDatabase', 'resetDatabase', 'crunchSpending', 'cancelJob', 'cancelSeedJob']) expect(mutation).toHaveProperty(name);
    expect(String(mutation.crunchSpending!.type)).toBe('CrunchJob!');
    expect(String(mutation.seedDatabase!.type)).toBe('SeedJob!');
    expect(String(mutation.resetDatabase!.type)).toBe('ResetResult!');
    expect(String(query.customerSpendings!.type)).toBe('CustomerSpendingConnection!');
    const months = Object.keys((schema.getType('MonthlyAmounts') as import('graphql').GraphQLObjectType).getFields());
    expect(months).toEqual(['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez']);
    const categorized = (schema.getType('CategorizedMonths') as import('graphql').GraphQLObjectType).getFields();
    expect(String(categorized.dez!.type)).toBe('[CategoryAmount!]!');
  });
});

describe('playground examples', () => {
  it.each(EXAMPLE_OPERATIONS.map((op) => [op.title, op] as const))('%s is a valid operation', async (_title, op) => {
    expect(validate(await buildAppSchema(), parse(op.query))).toEqual([]);
  });
});
