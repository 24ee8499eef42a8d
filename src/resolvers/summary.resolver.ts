/** Spending summaries for the dashboard: thin calls into the summary service. */
import { Resolver } from 'type-graphql';

@Resolver()
export class SummaryResolver {}
