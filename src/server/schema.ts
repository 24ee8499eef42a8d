/** The executable schema, built from the type-graphql resolvers and types. */
import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { adminAuthChecker, RESOLVERS } from '../resolvers/index.js';

let built: Promise<GraphQLSchema> | undefined;

/** The schema (built once per process: type-graphql's metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...RESOLVERS] as [(typeof RESOLVERS)[number], ...(typeof RESOLVERS)[number][]],
    authChecker: adminAuthChecker,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}

/** The schema as SDL, types sorted by name: what `schema.graphql` holds. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
