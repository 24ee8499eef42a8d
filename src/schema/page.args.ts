/** Arguments of the exploration pages (`users`, `products`, `orders`). */
import { ArgsType, Field, ID, Int } from 'type-graphql';

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
