/** Arguments of `customerSpendings`: the typed filter, the sort. */
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MONTH_KEYS, type MonthKey } from '../spending/index.js';
import { upperCaseEnum } from './enum-values.js';
import { JSONScalar } from './scalars.js';

/** One value per month key (MONTH_KEYS): JAN → 'jan'. */
export const Month = upperCaseEnum(MONTH_KEYS);
export type Month = MonthKey;
registerEnumType(Month, { name: 'Month', description: 'A month, by its Portuguese key as in the data (JAN = January … DEZ = December).' });

/** The document's own sort fields, then every month (the values of Month). */
export const SpendingSortField = Object.freeze({ CUSTOMER_ID: 'customerId', EMAIL: 'email', MONTHLY_AVG_EXPENSE: 'monthlyAvgExpense', ...Month } as const);
export type SpendingSortField = (typeof SpendingSortField)[keyof typeof SpendingSortField];
registerEnumType(SpendingSortField, {
  name: 'SpendingSortField',
  description: 'What to sort customer spendings by; JAN … DEZ sort by that month’s amount. Ties are broken by customer id.',
});

export enum SortDirection {
  ASC = 1,
  DESC = -1,
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType({ description: 'A minimum amount in one month.' })
export class MonthMinimum {
  @Field(() => Month)
  month!: Month;

  @Field(() => Float)
  min!: number;
}

@InputType({ description: 'A minimum monthly average in one category.' })
export class CategoryMinimum {
  @Field(() => String, { description: 'A category name, exactly (e.g. "Cosméticos").' })
  category!: string;

  @Field(() => Float)
  minAvg!: number;
}

@InputType({ description: 'Which customer spendings to return: every given condition must hold.' })
export class SpendingFilter {
  @Field(() => ID, { nullable: true, description: 'Exactly this customer (24 hexadecimal digits).' })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Emails containing this text, ignoring case (taken literally: no pattern).' })
  emailContains?: string | null;

  @Field(() => Float, { nullable: true, description: 'Monthly average at least this.' })
  minMonthlyAvg?: number | null;

  @Field(() => Float, { nullable: true, description: 'Monthly average at most this.' })
  maxMonthlyAvg?: number | null;

  @Field(() => MonthMinimum, { nullable: true, description: 'Spent at least `min` in `month`.' })
  month?: MonthMinimum | null;

  @Field(() => CategoryMinimum, { nullable: true, description: 'A monthly average of at least `minAvg` in `category`.' })
  category?: CategoryMinimum | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'A MongoDB filter on the customer_spending documents (snake_case fields, e.g. {"monthly_spenses.dez": {"$gt": 100}}), as a JSON object or Extended JSON text. Query operators only: $where, $function, $accumulator and any server-side JavaScript are refused.',
  })
  where?: unknown;
}

@InputType()
export class SpendingSort {
  @Field(() => SpendingSortField)
  field!: SpendingSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@ArgsType()
export class CustomerSpendingsArgs {
  @Field(() => SpendingFilter, { nullable: true })
  filter?: SpendingFilter | null;

  @Field(() => SpendingSort, { nullable: true, description: 'Default: by customer id, ascending.' })
  sort?: SpendingSort | null;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1–100.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
