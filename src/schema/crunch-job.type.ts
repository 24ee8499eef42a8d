/** A crunch job as the API reports it (its request and, once done, its result), and where the spending data came from. */
import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Job as JobModel } from '../jobs/index.js';
import type { DatasetRef } from '../models/index.js';
import type { CrunchRequest, CrunchResult as CrunchResultModel, SpendingStatus as SpendingStatusModel } from '../spending/index.js';
import { Job, jobFields, roundSeconds } from './job.type.js';
import { SafeIntScalar } from './scalars.js';

export enum CrunchMode {
  FULL = 'full',
  INCREMENTAL = 'incremental',
}
registerEnumType(CrunchMode, {
  name: 'CrunchMode',
  description: 'FULL (every customer, replacing customer_spending) or INCREMENTAL (the customers with orders since a date, merged in).',
});

@ObjectType({ description: 'What a crunch wrote.' })
export class CrunchResult {
  @Field(() => Int, { description: 'The calendar year crunched (UTC).' })
  year!: number;

  @Field(() => CrunchMode)
  mode!: CrunchMode;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Incremental crunches: customers with orders created since then were recomputed.' })
  since!: Date | null;

  @Field(() => Int, { description: 'Customers computed by this crunch (every user for a full one).' })
  recomputed!: number;

  @Field(() => Int, { description: 'Documents in customer_spending: one per user.' })
  customers!: number;

  @Field(() => Int, { description: 'Customers with at least one order in the year.' })
  customersWithOrders!: number;

  @Field(() => Int, { description: 'Orders placed in the year.' })
  orders!: number;

  @Field(() => Float, { description: 'Everything spent in the year, rounded to cents.' })
  totalSpend!: number;

  @Field(() => Float, { description: 'Seconds the whole crunch took, to the millisecond.' })
  seconds!: number;

  static of(result: CrunchResultModel): CrunchResult {
    return Object.assign(new CrunchResult(), {
      ...result,
      mode: result.mode as CrunchMode,
      since: result.since ?? null,
      seconds: roundSeconds(result.seconds),
    });
  }
}

@ObjectType({ description: 'What a crunch job was asked to do.' })
export class CrunchRequestInfo {
  @Field(() => Int, { nullable: true, description: 'The year asked for (null: the default).' })
  year!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Incremental: since when.' })
  since!: Date | null;
}

@ObjectType({ implements: Job, description: 'A crunch started by crunchSpending; poll it with job(id) or crunchJob(id).' })
export class CrunchJob extends Job {
  @Field(() => CrunchRequestInfo)
  request!: CrunchRequestInfo;

  @Field(() => CrunchResult, { nullable: true, description: 'Set once the job succeeded.' })
  result!: CrunchResult | null;

  static of(job: JobModel): CrunchJob {
    const request = job.plan as CrunchRequest;
    const state = job.state as JobModel<CrunchRequest, CrunchResultModel>['state'];
    return Object.assign(new CrunchJob(), jobFields(job), {
      request: { year: request.year ?? null, since: request.since ?? null },
      result: state.status === 'succeeded' ? CrunchResult.of(state.result) : null,
    });
  }
}

export enum DatasetOrigin {
  SEED = 'seed',
  RESET = 'reset',
}
registerEnumType(DatasetOrigin, { name: 'DatasetOrigin', description: 'SEED (written by a seed) or RESET (emptied by a reset).' });

@ObjectType({ description: 'A dataset: what a seed wrote, or a reset emptied.' })
export class DatasetInfo {
  @Field(() => DatasetOrigin)
  origin!: DatasetOrigin;

  @Field(() => GraphQLISODateTime, { description: 'When the seed or reset finished.' })
  at!: Date;

  @Field(() => SafeIntScalar, { nullable: true, description: 'The seed of a seeded dataset.' })
  seed!: number | null;

  static of(ref: DatasetRef | null): DatasetInfo | null {
    return ref ? Object.assign(new DatasetInfo(), { origin: ref.origin as DatasetOrigin, at: ref.at, seed: ref.seed ?? null }) : null;
  }
}

@ObjectType({ description: 'Whether customer_spending describes the data in the database.' })
export class SpendingStatus {
  @Field(() => Int, { nullable: true, description: 'The year crunched (null: nothing crunched).' })
  year!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the last crunch finished (null: nothing crunched, or unknown).' })
  crunchedAt!: Date | null;

  @Field(() => Boolean, {
    description: 'True when customer_spending was built from another dataset than the one in the database now (a seed or reset came since): crunch again.',
  })
  stale!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is stale, and what to do.' })
  reason!: string | null;

  @Field(() => Int, { description: 'Documents in customer_spending.' })
  customers!: number;

  @Field(() => CrunchMode, { nullable: true, description: 'How the last crunch ran.' })
  mode!: CrunchMode | null;

  @Field(() => DatasetInfo, { nullable: true, description: 'The dataset the spending was built from (null: unknown).' })
  source!: DatasetInfo | null;

  @Field(() => DatasetInfo, { nullable: true, description: 'The dataset in the database now (null: unknown, e.g. seeded by an older datadragon).' })
  dataset!: DatasetInfo | null;

  static of(status: SpendingStatusModel): SpendingStatus {
    return Object.assign(new SpendingStatus(), {
      year: status.year,
      crunchedAt: status.crunchedAt,
      stale: status.stale,
      reason: status.reason,
      customers: status.customers,
      mode: status.mode as CrunchMode | null,
      source: DatasetInfo.of(status.source),
      dataset: DatasetInfo.of(status.dataset),
    });
  }
}
