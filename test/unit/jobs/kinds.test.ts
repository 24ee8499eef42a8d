/** Each kind's input parsing, before any database: the options' sources and the messages of bad input. */
import { describe, expect, it } from 'vitest';
import { crunchJob, JOB_DEFINITIONS, JOB_KINDS, JOB_PHASES, resetJob, seedJob } from '../../../src/jobs/index.js';
import { SEED_PHASES } from '../../../src/seeding/index.js';

describe('the seed job’s input', () => {
  it('takes flags first, then the environment, then the config file, then the defaults; null is "not given"', () => {
    const plan = seedJob.parse(
      { users: 30, maxOrders: null as never },
      { env: { DATADRAGON_USERS: '20', DATADRAGON_PRODUCTS: '25' }, file: { products: 40, maxOrders: 2, seed: 9 } },
    );
    expect(plan).toMatchObject({ users: 30, products: 25, maxOrders: 2, seed: 9, seedWasRandom: false });
  });

  it('names the input fields as the caller spells them', () => {
    expect(() => seedJob.parse({ users: 0 }, { env: {}, flagNames: { users: 'input.users' } })).toThrow(
      /^input\.users: the number of users must be at least 1$/,
    );
    expect(() => seedJob.parse({ users: 0 }, { env: {} })).toThrow(/^--users: /);
  });
});

describe('the crunch job’s input', () => {
  it('a year from a number or a flag’s text', () => {
    expect(crunchJob.parse({ year: 2024 })).toEqual({ year: 2024 });
    expect(crunchJob.parse({ year: ' 2024 ' })).toEqual({ year: 2024 });
    expect(crunchJob.parse({ year: null })).toEqual({});
    expect(() => crunchJob.parse({ year: 'abc' })).toThrow(/--year: a year is a whole number like 2025, got 'abc'/);
    expect(() => crunchJob.parse({ year: 0 })).toThrow(/year must be an integer between 1 and 9999/);
  });

  it('since: a date (midnight UTC) or an instant with its zone', () => {
    expect(crunchJob.parse({ since: '2025-11-01' })).toEqual({ since: new Date('2025-11-01T00:00:00Z') });
    expect(crunchJob.parse({ since: '2025-11-01T12:30:00+02:00' })).toEqual({ since: new Date('2025-11-01T10:30:00Z') });
    expect(crunchJob.parse({ since: new Date(5) })).toEqual({ since: new Date(5) });
    for (const bad of ['yesterday', '2025-11-01T12:00', '11/01/2025', '2025-13-45']) {
      expect(() => crunchJob.parse({ since: bad }), bad).toThrowError(
        expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^--since: /) }),
      );
    }
    expect(() => crunchJob.parse({ since: new Date(Number.NaN) })).toThrow(/not a valid date/);
  });
});

describe('every kind', () => {
  it('is declared once, and every phase it may report is in the API’s JobPhase', () => {
    expect(Object.keys(JOB_DEFINITIONS)).toEqual([...JOB_KINDS]);
    for (const kind of JOB_KINDS) expect(JOB_DEFINITIONS[kind].kind).toBe(kind);
    expect(JOB_PHASES).toEqual([...SEED_PHASES, 'aggregate', 'indexes', 'empty', 'drop']);
    expect(resetJob.parse({})).toEqual({ drop: false });
    expect(resetJob.parse({ drop: true })).toEqual({ drop: true });
  });
});
