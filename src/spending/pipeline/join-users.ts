/**
 * Concern: every user appears, and only users.
 *
 * Input: the per-customer documents of customer-rollup.ts (customers with orders in Y).
 * Output: one document per user: `{ _id: customer_id, user: { email, first_name,
 * last_name }, year_cents, monthly, categorized }`, the last three null for a user without
 * orders in Y.
 *
 *   1. `$unionWith` users (those with a string `customer_id`, of the selected customers), each reduced to
 *      `{ _id: customer_id, user }` (a `$replaceWith`: a user without email or names gets
 *      a `user` without those fields): a user with no order in Y still gets a document.
 *   2. `$group` by customer id, merging the (at most) two documents of a customer with
 *      `$max` of each field: `$max` ignores missing values, and each field exists in only
 *      one of the two documents. (`$push`/`$first` would depend on the order of the
 *      documents or on how missing values are pushed.)
 *   3. `$match` on `user`: drops customers that placed orders but are not in `users`
 *      (a broken reference), so the output has exactly one document per user.
 */
import { customerCondition, type CustomerSelection } from './customers.js';
import type { Stage } from './types.js';

/** `customers`: the users to bring in (customers.ts); every user with a string `customer_id` by default. */
export function joinUsers(users: string, customers?: CustomerSelection): Stage[] {
  return [
    {
      $unionWith: {
        coll: users,
        pipeline: [
          { $match: { customer_id: customerCondition(customers) } },
          {
            $replaceWith: {
              _id: '$customer_id',
              user: { email: '$email', first_name: '$details.first_name', last_name: '$details.last_name' },
            },
          },
        ],
      },
    },
    {
      $group: {
        _id: '$_id',
        user: { $max: '$user' },
        year_cents: { $max: '$year_cents' },
        monthly: { $max: '$monthly' },
        categorized: { $max: '$categorized' },
      },
    },
    { $match: { user: { $type: 'object' } } },
  ];
}
