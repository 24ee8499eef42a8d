/** `resetDatabase`'s answer. */
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class CollectionCount {
  @Field(() => String)
  collection!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'What resetDatabase did.' })
export class ResetResult {
  @Field(() => Boolean, { description: 'Whether the whole database was dropped (drop: true).' })
  dropped!: boolean;

  @Field(() => [CollectionCount], { description: 'Documents deleted per collection (collections and indexes are kept).' })
  deleted!: CollectionCount[];

  @Field(() => Int, { description: 'Documents deleted in all.' })
  total!: number;
}

@ArgsType()
export class ResetArgs {
  @Field(() => Boolean, { description: 'Must be true: a reset deletes data.' })
  confirm!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Drop the whole database instead of emptying the collections.' })
  drop!: boolean;
}
