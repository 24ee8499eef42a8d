/** The limits the server hands down to every resolver (its root value), and how a resolver reads them. */
import type { GraphQLResolveInfo } from 'graphql';

/**
 * The root value of every operation (see server/apollo.ts): the limits resolvers pass down to the
 * reads they make.
 */
export interface ApiRootValue {
  /** The time limit of each database read, in ms. */
  readonly maxTimeMS: number;
}

/** The time limit of the reads of a resolver (undefined when the operation runs without one). */
export function timeLimitOf(info: GraphQLResolveInfo): number | undefined {
  const root = info.rootValue as Partial<ApiRootValue> | null | undefined;
  return typeof root?.maxTimeMS === 'number' ? root.maxTimeMS : undefined;
}
