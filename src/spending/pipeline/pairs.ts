/**
 * Concern: lists of `{k, v}` pairs (category → cents), the currency of the crunch from the
 * order lines to the output maps. Two expressions, both plain aggregation operators that
 * MongoDB 4.4+ runs unchanged:
 *
 *   - `flatten`: a list of pair lists → one list (`$reduce` with `$concatArrays`);
 *   - `sumByKey`: pairs → one pair per distinct key, its `v` the `$sum` of the key's values
 *     (`$sum` ignores null, so a line without a price adds 0 but keeps its key).
 *
 * Cost: `sumByKey` is (distinct keys) × (pairs). The keys are product categories, so the
 * first factor is bounded by the catalogue's categories (dozens), not by the data: the work
 * grows linearly with the pairs of one customer's month (or year), never with the dataset.
 * All sums are of integer cents: exact, whatever the order.
 */
import type { Expr } from './types.js';

/** Expression: `[[pair, ...], ...]` → `[pair, ...]`. */
export function flatten(listsExpr: Expr): Expr {
  return { $reduce: { input: listsExpr, initialValue: [], in: { $concatArrays: ['$$value', '$$this'] } } };
}

/** Expression: `[{k, v}]` (string keys) → `[{k, v: Σ v of k}]`, one per distinct key. */
export function sumByKey(pairsExpr: Expr): Expr {
  return {
    $let: {
      vars: { pairs: pairsExpr },
      in: {
        $map: {
          input: { $setUnion: [{ $map: { input: '$$pairs', in: '$$this.k' } }] },
          as: 'key',
          in: {
            k: '$$key',
            v: { $sum: { $map: { input: { $filter: { input: '$$pairs', cond: { $eq: ['$$this.k', '$$key'] } } }, in: '$$this.v' } } },
          },
        },
      },
    },
  };
}

/** Expression: `[{k, v}]` → the same pairs with `v` mapped through `valueOf('$$pair.v')`. */
export function mapValues(pairsExpr: Expr, valueOf: (v: Expr) => Expr): Expr {
  return { $map: { input: pairsExpr, as: 'pair', in: { k: '$$pair.k', v: valueOf('$$pair.v') } } };
}
