/**
 * recompute.ts is the tests' oracle for the crunch: the spending barrel, which the application
 * imports, exports none of it (src/spending/index.ts says why).
 */
import { describe, expect, it } from 'vitest';
import * as spending from '../../../src/spending/index.js';
import * as recompute from '../../../src/spending/recompute.js';

describe('the spending barrel', () => {
  it('exports nothing of recompute.ts', () => {
    const names = Object.keys(recompute);
    expect(names).toContain('recomputeSpending');
    expect(names.filter((name) => name in spending)).toEqual([]);
  });
});
