/** `seedDatabase(input: SeedInput)`: every option the CLI's `seed` has; unset ones come from DATADRAGON_* variables, the config file, then the defaults. */
import { Field, InputType, Int } from 'type-graphql';
import type { Part, SeedOptionsInput, SeedRunFlags } from '../seeding/index.js';
import { SafeIntScalar } from './scalars.js';

@InputType({ description: 'Part `index` of `count` of a seed written by several machines or processes (1 ≤ index ≤ count ≤ the chunks: users / 1,000).' })
export class SeedPartInput implements Part {
  @Field(() => Int)
  index!: number;

  @Field(() => Int)
  count!: number;
}

@InputType({ description: 'Seeding options. Unset fields fall back to the DATADRAGON_* environment variables, datadragon.config.json, then the defaults.' })
export class SeedInput implements SeedOptionsInput, SeedRunFlags {
  @Field(() => Int, { nullable: true, description: 'Customers to create (default 800).' })
  users?: number;

  @Field(() => Int, { nullable: true, description: 'Most orders one customer may have (default 6).' })
  maxOrders?: number;

  @Field(() => Int, { nullable: true, description: 'Products in the catalogue.' })
  products?: number;

  @Field(() => Int, { nullable: true, description: 'Calendar year of the orders, UTC (default: the last full year).' })
  year?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Random seed: the same seed and options give the same data (default: drawn, and reported in the job).',
  })
  seed?: number;

  @Field(() => Int, { nullable: true, description: 'Worker processes (default: the number of cores).' })
  workers?: number;

  @Field(() => Int, { nullable: true, description: 'Documents per insertMany.' })
  batchSize?: number;

  @Field(() => String, { nullable: true, description: 'Faker locale of the names (default pt_BR).' })
  locale?: string;

  @Field(() => Boolean, { nullable: true, description: 'Keep the temporary activity collection after the split.' })
  keepActivity?: boolean;

  @Field(() => SeedPartInput, {
    nullable: true,
    description: 'Write only this part of the seed (needs seed), beside the other parts; then a seed with finish puts them together.',
  })
  part?: SeedPartInput;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Put together the parts written with part (same options), once every part is written; refused, naming them, while parts are missing.',
  })
  finish?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Shard users, carts and orders and split with $merge (a sharded cluster; also done when the server is a mongos).',
  })
  shard?: boolean;
}
