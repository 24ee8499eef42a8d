/** Small helpers shared by the engine conformance tests. */
import type { Document, ObjectId, UpdateFilter } from 'mongodb';

/**
 * A command reply without the fields a replica set or sharded cluster adds to every reply
 * ($clusterTime, operationTime...), so that exact-shape assertions hold on every deployment.
 */
export function bare(reply: Document): Document {
  const rest = { ...reply };
  for (const key of ['$clusterTime', 'operationTime', 'electionId', 'opTime']) delete rest[key];
  return rest;
}

/** Bson options that keep int64 values (cursor ids) as Longs whatever their size. */
export const RAW = { promoteLongs: false } as const;

export const MiB = 1024 * 1024;

/** Schema-less documents whose _id may also be a number or a string, as the tests use them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDoc = { _id?: ObjectId | string | number; [field: string]: any };

/** An update document, untyped: the driver's UpdateFilter types reject $push/$pull on schema-less documents. */
export const update = (spec: Document): UpdateFilter<AnyDoc> => spec as UpdateFilter<AnyDoc>;
