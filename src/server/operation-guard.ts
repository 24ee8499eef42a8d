/**
 * The limits an operation must meet before Apollo validates it: graphql-js's validation is
 * superlinear in some shapes (thousands of aliases, or of one field repeated, take it tens to
 * hundreds of milliseconds during which the server answers nobody), so a document is first
 * parsed with a token limit and its shape measured here, fragments expanded: the fields at the
 * root, the aliases, how often one response name repeats in a selection set, and how many
 * fields it has once expanded. What passes goes on to Apollo (validation, depth, cost).
 */
import { GraphQLError, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestHandler } from 'express';
import type { ApiLimits } from './config.js';
import { LruCache } from '../lru.js';
import { GraphQLErrorCodes } from './errors.js';

/** Tokens of one document. GraphiQL's introspection query has about 200; a large hand-written query, a few hundred. */
export const MAX_QUERY_TOKENS = 5_000;
/** Fields of one operation with its fragments expanded (what execution would walk at most). */
export const MAX_EXPANDED_FIELDS = 2_000;
/** Times one response name may appear in one selection set (GraphQL merges them; validation compares each pair). */
export const MAX_REPEATED_FIELD = 10;

export type ShapeLimits = Pick<ApiLimits, 'maxAliases' | 'maxRootFields'>;

interface Shape {
  fields: number;
  aliases: number;
}

class ShapeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function measure(document: DocumentNode, limits: ShapeLimits): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name ? ` ${definition.name.value}` : '';
    const shape: Shape = { fields: 0, aliases: 0 };
    const active = new Set<string>();

    /** Counts the response names of a selection set (fragments expanded into it) and walks below them. */
    const walk = (selectionSet: SelectionSetNode, names: Map<string, number>, depth: number): void => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (++shape.fields > MAX_EXPANDED_FIELDS) {
            throw new ShapeError(
              'QUERY_TOO_LARGE',
              `the operation${name} has more than ${MAX_EXPANDED_FIELDS} fields once its fragments are expanded: ask for fewer fields`,
              { maxFields: MAX_EXPANDED_FIELDS },
            );
          }
          if (selection.alias && ++shape.aliases > limits.maxAliases) {
            throw new ShapeError(
              'TOO_MANY_ALIASES',
              `the operation${name} has more than ${limits.maxAliases} aliases (fragments expanded); the limit is ${limits.maxAliases}: send fewer aliased fields, or several requests`,
              {
                maxAliases: limits.maxAliases,
              },
            );
          }
          const key = (selection.alias ?? selection.name).value;
          const seen = (names.get(key) ?? 0) + 1;
          names.set(key, seen);
          if (seen > MAX_REPEATED_FIELD) {
            throw new ShapeError(
              'REPEATED_FIELD',
              `the operation${name} asks for '${key}' more than ${MAX_REPEATED_FIELD} times in one selection: ask for it once`,
              { field: key, maxRepeats: MAX_REPEATED_FIELD },
            );
          }
          if (depth === 0 && names.size > limits.maxRootFields) {
            throw new ShapeError(
              'TOO_MANY_ROOT_FIELDS',
              `the operation${name} asks for more than ${limits.maxRootFields} root fields; the limit is ${limits.maxRootFields}: send several requests`,
              {
                maxRootFields: limits.maxRootFields,
              },
            );
          }
          if (selection.selectionSet) walk(selection.selectionSet, new Map(), depth + 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          walk(selection.selectionSet, names, depth);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || active.has(fragment.name.value)) continue; // unknown or cyclic: validation reports it
          active.add(fragment.name.value);
          walk(fragment.selectionSet, names, depth);
          active.delete(fragment.name.value);
        }
      }
    };
    walk(definition.selectionSet, new Map(), 0);
  }
}

/**
 * The error for a document that breaks the limits, else undefined. A document that does not
 * parse (too many tokens included) is left to Apollo, which parses with the same token limit
 * and answers GRAPHQL_PARSE_FAILED.
 */
export function operationShapeError(query: string, limits: ShapeLimits): GraphQLError | undefined {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_QUERY_TOKENS, noLocation: true });
  } catch {
    return undefined;
  }
  try {
    measure(document, limits);
    return undefined;
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    return new GraphQLError(error.message, { extensions: { code: GraphQLErrorCodes.GRAPHQL_VALIDATION_FAILED, reason: error.reason, ...error.extra } });
  }
}

/** Verdicts of recent query texts: clients send the same few texts again and again. */
const MAX_CACHED_QUERIES = 500;
/** The query texts those verdicts are kept for, in characters together (one text may be up to the body limit). */
const MAX_CACHED_QUERY_CHARS = 4 * 1024 * 1024;

/** Express middleware for the GraphQL endpoint: refuses (400) the documents `operationShapeError` refuses. */
export function operationGuard(limits: ShapeLimits): RequestHandler {
  const verdicts = new LruCache<string, GraphQLError | null>(MAX_CACHED_QUERIES, MAX_CACHED_QUERY_CHARS, (text) => text.length);
  return (req, res, next) => {
    const source = req.method === 'GET' ? (req.query as Record<string, unknown>).query : (req.body as Record<string, unknown> | undefined)?.query;
    if (typeof source !== 'string') return next(); // batches, persisted queries, missing queries: Apollo answers them
    let verdict = verdicts.get(source);
    if (verdict === undefined) {
      verdict = operationShapeError(source, limits) ?? null;
      verdicts.set(source, verdict);
    }
    if (!verdict) return next();
    res.status(400).json({ errors: [{ message: verdict.message, extensions: verdict.extensions }] });
  };
}
