/**
 * GraphQL test helpers: typed operations (generated/graphql.ts, written by `npm run codegen` from
 * operations/operations.graphql)
 * run in-process with `executeOperation` or over HTTP against a started server.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ApolloServer } from '@apollo/server';
import { print, type GraphQLFormattedError } from 'graphql';
import type { GraphQLContext } from '../../src/resolvers/index.js';

export interface GraphQLResult<TData> {
  status: number;
  data: TData | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

/** Runs an operation in-process (no HTTP) with the given context. */
export async function execute<TData, TVars extends Record<string, unknown>>(
  apollo: ApolloServer<GraphQLContext>,
  context: GraphQLContext,
  document: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
): Promise<GraphQLResult<TData>> {
  const response = await apollo.executeOperation({ query: document, ...(variables ? { variables } : {}) }, { contextValue: context });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status ?? 200, data: response.body.singleResult.data as TData | null | undefined, errors: response.body.singleResult.errors };
}

/** POSTs an operation as JSON. */
export async function post<TData, TVars>(
  url: string,
  document: TypedDocumentNode<TData, TVars> | string,
  variables?: TVars,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<TData> & { headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), ...(variables ? { variables } : {}) }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLFormattedError[] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** The `extensions.code` of each error. */
export const codesOf = (result: { errors?: readonly GraphQLFormattedError[] | undefined }): unknown[] => (result.errors ?? []).map((e) => e.extensions?.code);

/** Fails with the errors when there are any; returns the data. */
export function dataOf<TData>(result: GraphQLResult<TData>): TData {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors (HTTP ${result.status}): ${JSON.stringify(result.errors, null, 2)}`);
  return result.data;
}

export async function until<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000, intervalMs = 50): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
