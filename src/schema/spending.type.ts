/**
 * The crunched `customer_spending` documents as GraphQL types. The classes mirror the
 * documents (snake_case properties, camelCase schema names), so a document read from the
 * database is returned as it is; the category maps become lists of `CategoryAmount` here.
 */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import {
  MONTH_KEYS,
  type CategorizedMonths as CategorizedMonthsDoc,
  type CategoryAmounts,
  type CustomerSpending as CustomerSpendingDoc,
  type MonthKey,
} from '../spending/index.js';
import { connectionOf } from './page-info.type.js';

// simpleResolvers: these fields read the property of their own name, so graphql-js's default
// resolver does the job without type-graphql's per-field wrapper (no middlewares apply here).
@ObjectType({ description: 'An amount spent in one category.', simpleResolvers: true })
export class CategoryAmount {
  @Field(() => String)
  category!: string;

  @Field(() => Float, { description: 'Rounded to cents.' })
  amount!: number;
}

/** `{ "<category>": amount }` → a list, largest amount first, then by name. */
export function toCategoryAmounts(map: CategoryAmounts | null | undefined): CategoryAmount[] {
  return Object.entries(map ?? {})
    .map(([category, amount]) => ({ category, amount }))
    .sort((a, b) => b.amount - a.amount || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

@ObjectType({ description: 'One amount per month (Portuguese month keys, as in the data): a month without orders is 0.', simpleResolvers: true })
export class MonthlyAmounts implements Record<MonthKey, number> {
  @Field(() => Float) jan!: number;
  @Field(() => Float) fev!: number;
  @Field(() => Float) mar!: number;
  @Field(() => Float) abr!: number;
  @Field(() => Float) mai!: number;
  @Field(() => Float) jun!: number;
  @Field(() => Float) jul!: number;
  @Field(() => Float) ago!: number;
  @Field(() => Float) set!: number;
  @Field(() => Float) out!: number;
  @Field(() => Float) nov!: number;
  @Field(() => Float) dez!: number;
}

@ObjectType({
  description: 'Per month, the amount spent per category (a line counts in every category of its product); a month without orders is an empty list.',
  simpleResolvers: true,
})
export class CategorizedMonths implements Record<MonthKey, CategoryAmount[]> {
  @Field(() => [CategoryAmount]) jan!: CategoryAmount[];
  @Field(() => [CategoryAmount]) fev!: CategoryAmount[];
  @Field(() => [CategoryAmount]) mar!: CategoryAmount[];
  @Field(() => [CategoryAmount]) abr!: CategoryAmount[];
  @Field(() => [CategoryAmount]) mai!: CategoryAmount[];
  @Field(() => [CategoryAmount]) jun!: CategoryAmount[];
  @Field(() => [CategoryAmount]) jul!: CategoryAmount[];
  @Field(() => [CategoryAmount]) ago!: CategoryAmount[];
  @Field(() => [CategoryAmount]) set!: CategoryAmount[];
  @Field(() => [CategoryAmount]) out!: CategoryAmount[];
  @Field(() => [CategoryAmount]) nov!: CategoryAmount[];
  @Field(() => [CategoryAmount]) dez!: CategoryAmount[];
}

export function toCategorizedMonths(doc: CategorizedMonthsDoc | null | undefined): CategorizedMonths {
  const out = {} as CategorizedMonths;
  for (const key of MONTH_KEYS) out[key] = toCategoryAmounts(doc?.[key]);
  return out;
}

@ObjectType('SpendingDetails')
export class SpendingDetails {
  @Field(() => String, { name: 'firstName' })
  first_name!: string;

  @Field(() => String, { name: 'lastName' })
  last_name!: string;
}

@ObjectType({ description: "One customer's spending in one calendar year (UTC), from the crunch." })
export class CustomerSpending implements Omit<CustomerSpendingDoc, 'categorized_monthly_expenses' | 'categorized_monthly_avg_expense'> {
  _id!: string;

  @Field(() => ID, { name: 'customerId', description: "The customer's customer_id (24 hexadecimal digits)." })
  customer_id!: string;

  @Field(() => String, { simple: true })
  email!: string;

  @Field(() => Int, { simple: true })
  year!: number;

  @Field(() => SpendingDetails)
  details!: SpendingDetails;

  @Field(() => MonthlyAmounts, { name: 'monthlySpenses', description: 'The orders’ amounts per month.' })
  monthly_spenses!: MonthlyAmounts;

  @Field(() => Float, { name: 'monthlyAvgExpense', description: "The year's total / 12, rounded to cents." })
  monthly_avg_expense!: number;

  categorized_monthly_expenses!: CategorizedMonthsDoc;
  categorized_monthly_avg_expense!: CategoryAmounts;

  @Field(() => CategorizedMonths, { name: 'categorizedMonthlyExpenses', complexity: 12 })
  get categorizedMonthlyExpenses(): CategorizedMonths {
    return toCategorizedMonths(this.categorized_monthly_expenses);
  }

  @Field(() => [CategoryAmount], { name: 'categorizedMonthlyAvgExpense', description: "Per category, the year's total in it / 12; largest first." })
  get categorizedMonthlyAvgExpense(): CategoryAmount[] {
    return toCategoryAmounts(this.categorized_monthly_avg_expense);
  }
}

export const CustomerSpendingConnection = connectionOf(CustomerSpending, 'CustomerSpending');
