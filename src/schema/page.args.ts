/** Arguments of the exploration pages (`users`, `products`, `orders`), and what a page costs. */
import { ArgsType, Field, ID, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../read-models/index.js';

type CostArgs = { args: { first?: number | null }; childComplexity: number };

/**
 * The estimated cost (a field's `complexity`) of a list of at most `maxSize` rows, `first`
 * of them (`defaultSize` without it): the rows it may return times what one row asks for. A
 * `first` outside 1–`maxSize` costs as the nearest bound: the resolver refuses it
 * (BAD_PAGINATION) without reading anything, and a negative `first` must not lower the cost
 * of the rest of the operation.
 */
export function listCost(defaultSize: number, maxSize: number): (cost: CostArgs) => number {
  return ({ args, childComplexity }) => {
    const first = typeof args.first === 'number' && Number.isFinite(args.first) ? Math.min(Math.max(Math.trunc(args.first), 1), maxSize) : defaultSize;
    return 1 + first * Math.max(childComplexity, 0);
  };
}

/** The estimated cost of a page field (`users`, `customerSpendings`...). */
export const pageCost: (cost: CostArgs) => number = listCost(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1–100.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Emails containing this text, ignoring case.' })
  emailContains?: string | null;
}

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Products listing this category.' })
  category?: string | null;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "One customer's orders." })
  customerId?: string | null;
}
