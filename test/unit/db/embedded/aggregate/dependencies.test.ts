import { describe, expect, it } from 'vitest';
import { topLevelDependencies } from '../../../../../src/db/embedded/aggregate/dependencies.js';

// Engine-only: which fields a durable engine decodes for a pipeline (the results are the same either way).
describe('topLevelDependencies', () => {
  it('names the top-level fields read up to the first stage that builds new documents', () => {
    expect(topLevelDependencies([{ $project: { _id: 1, customer_id: 1, 'details.name': 1 } }, { $out: 'x' }])?.sort()).toEqual([
      '_id',
      'customer_id',
      'details',
    ]);
    expect(
      topLevelDependencies([
        { $unwind: '$carts' },
        { $unwind: '$carts.order' },
        { $project: { _id: '$carts.order._id', customer_id: 1, cart_id: { $toString: '$carts._id' }, n: { $literal: '$notAField' } } },
      ])?.sort(),
    ).toEqual(['_id', 'cart_id', 'carts', 'customer_id', 'n']);
    expect(topLevelDependencies([{ $group: { _id: '$customer_id', total: { $sum: '$amount' } } }])?.sort()).toEqual(['_id', 'amount', 'customer_id']);
  });

  it('asks for whole documents when a stage may read any field', () => {
    expect(topLevelDependencies([{ $project: { carts: 0 } }])).toBeUndefined();
    expect(topLevelDependencies([{ $project: { doc: '$$ROOT' } }])).toBeUndefined();
    expect(topLevelDependencies([{ $project: { xs: { $map: { input: '$a', in: '$$this.b' } } } }])).toBeUndefined();
    expect(topLevelDependencies([{ $addFields: { x: 1 } }, { $project: { x: 1 } }])).toBeUndefined();
    expect(topLevelDependencies([{ $unwind: '$a' }])).toBeUndefined(); // the documents themselves come out
    expect(topLevelDependencies([])).toBeUndefined();
  });
});
