/**
 * The playground's tabs as a newcomer meets them: in the order of the work (seed, its job,
 * crunch, then the queries), each tab titled by its operation's name (what GraphiQL shows),
 * every tab a comment sends the reader to existing, the first tab not a query of data an empty
 * database does not have. (Their validity against the schema: test/unit/server/schema.test.ts.)
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS, PLACEHOLDER_CUSTOMER_ID } from '../../../src/server/examples.js';

const operationOf = (query: string): OperationDefinitionNode =>
  parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;

describe('the playground tabs', () => {
  it('are titled by their operation names', () => {
    for (const example of EXAMPLE_OPERATIONS) expect(operationOf(example.query).name?.value).toBe(example.title);
  });

  it('come in the order of the work: Seed, SeedJob, Crunch, the queries, Reset last', () => {
    expect(EXAMPLE_OPERATIONS.slice(0, 3).map((e) => e.title)).toEqual(['Seed', 'SeedJob', 'Crunch']);
    expect(EXAMPLE_OPERATIONS.at(-1)!.title).toBe('Reset');
    expect(operationOf(EXAMPLE_OPERATIONS[0]!.query).operation).toBe('mutation');
  });

  it('send the reader only to tabs that exist', () => {
    const titles = new Set(EXAMPLE_OPERATIONS.map((e) => e.title));
    let references = 0;
    for (const example of EXAMPLE_OPERATIONS) {
      for (const match of example.query.matchAll(/the (\w+)(?: and (\w+))? tabs?\b/g)) {
        for (const name of [match[1], match[2]].filter(Boolean)) {
          references++;
          expect(titles, `${example.title} names the ${name} tab`).toContain(name);
        }
      }
      expect(example.query).not.toMatch(/"[A-Z][a-z]+( [a-z]+)+" tab/); // no tab by a made-up title
    }
    expect(references).toBeGreaterThanOrEqual(4);
  });

  it('give the one-customer tab a well-formed id (null, not an error, before a crunch)', () => {
    const one = EXAMPLE_OPERATIONS.find((e) => e.title === 'OneCustomer')!;
    expect(one.variables).toEqual({ customerId: PLACEHOLDER_CUSTOMER_ID });
    expect(PLACEHOLDER_CUSTOMER_ID).toMatch(/^[0-9a-f]{24}$/);
  });
});
