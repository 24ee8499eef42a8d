/** The dashboard's figures over a whole crunched year (computed by src/spending/summary.ts). */
import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { MonthlyAmounts } from './spending.type.js';

@ObjectType({ description: 'The crunched spending of one calendar year, over every customer (what the dashboard shows).' })
export class SpendingSummary {
  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'Customers in customer_spending for the year: one per user at crunch time.' })
  customers!: number;

  @Field(() => Int, { description: 'Customers who spent something in the year.' })
  customersWithSpending!: number;

  @Field(() => Float, { description: 'Everything spent in the year (the sum of the months), rounded to cents.' })
  total!: number;

  @Field(() => MonthlyAmounts, { description: 'Per month, what every customer spent in it together (the seasonality).' })
  months!: MonthlyAmounts;
}

@ObjectType({ description: "A bucket of the distribution of customers' monthly averages: min ≤ average < max." })
export class AverageBucket {
  @Field(() => Float, { description: 'Inclusive, in reais.' })
  min!: number;

  @Field(() => Float, { nullable: true, description: 'Exclusive, in reais; null for the last bucket (no upper bound).' })
  max!: number | null;

  @Field(() => Int)
  customers!: number;
}

@ArgsType()
export class SpendingSummaryArgs {
  @Field(() => Int, { nullable: true, description: 'The calendar year; default: the newest year in customer_spending.' })
  year?: number | null;
}

/** How many customers `topCustomers` and `customerSearch` list without `first`. */
export const DEFAULT_CUSTOMERS_LISTED = 10;

@ArgsType()
export class CustomerListArgs {
  @Field(() => Int, { defaultValue: DEFAULT_CUSTOMERS_LISTED, description: 'How many customers: 1–100.' })
  first!: number;
}

@ArgsType()
export class CustomerSearchArgs extends CustomerListArgs {
  @Field(() => String, { description: 'A customer id (24 hexadecimal digits) or the start of an email address (any case).' })
  term!: string;
}
