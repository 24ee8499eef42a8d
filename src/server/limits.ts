/**
 * Query limits enforced inside Apollo: a depth limit and the operation types the schema
 * serves (validation rules, so a query breaking them is refused before it runs), and a cost
 * limit (graphql-query-complexity, in a plugin because the cost of a page depends on
 * `first`, which may be a variable). Pages cost `first` × what one row asks for (see
 * `pageCost` in schema/page.args.ts); every field node counts, aliases and repeats included.
 * Introspection is not counted. The limits that must hold before validation (tokens, aliases,
 * root fields) are in operation-guard.ts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql/execution/values.js';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { createRequire } from 'node:module';
import { LruCache } from '../lru.js';
import { GraphQLErrorCodes } from './errors.js';

// The CommonJS build on purpose: the package's ESM build imports graphql's ESM build
// (graphql/index.mjs), a second copy of graphql that refuses the schema built with the
// CommonJS one that Apollo Server and type-graphql use.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');

function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
  seen: Set<string>,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth: number;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue; // introspection: __schema, __type, __typename
      depth = 1 + selectionDepth(selection.selectionSet, fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments(name);
      if (!fragment || seen.has(name)) continue; // unknown or cyclic: other rules report it
      seen.add(name);
      depth = selectionDepth(fragment.selectionSet, fragments, seen);
      seen.delete(name);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Refuses operations nested deeper than `maxDepth` fields. */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = selectionDepth(node.selectionSet, (name) => context.getFragment(name), new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`the operation${node.name ? ` ${node.name.value}` : ''} is ${depth} levels deep; the limit is ${maxDepth}`, {
            nodes: node,
            extensions: { reason: 'QUERY_TOO_DEEP', depth, maxDepth },
          }),
        );
      }
    },
  });
}

/** Scalar types whose variables can change a cost: page sizes (Int) and `@include`/`@skip` conditions (Boolean). */
const COST_SCALARS = new Set(['Int', 'Float', 'Boolean']);

/**
 * The names of the operation's variables that can change its cost: scalars, not lists (a
 * `first` or an `if` takes one value), so a cache key stays a few characters per variable.
 */
function costVariables(operation: OperationDefinitionNode | undefined): string[] {
  const names: string[] = [];
  for (const definition of operation?.variableDefinitions ?? []) {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (type.kind === Kind.NAMED_TYPE && COST_SCALARS.has(type.name.value)) names.push(definition.variable.name.value);
  }
  return names.sort();
}

/** Costs kept per parsed document (per operation name and cost variables' values), least recently used forgotten. */
const MAX_COSTS_PER_DOCUMENT = 100;

/**
 * The cost of one operation. Costs depend on the document, on `first` (an Int, maybe a
 * variable) and on the conditions of `@include`/`@skip` (Booleans, maybe variables), never
 * on string, id or input-object variables: cached per parsed document (Apollo reuses the same
 * DocumentNode for the same query text) and per the values of its Int, Float and Boolean
 * variables, so a by-id query run with many ids is estimated once, and a field dropped by
 * `@include(if: false)` does not make the same text cheap when the next request includes it.
 */
function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  cache: WeakMap<DocumentNode, LruCache<string, number>>,
): number {
  const key = `${operationName ?? ''}|${JSON.stringify(costVariables(operation).map((name) => [name, variables[name] ?? null]))}`;
  let costs = cache.get(document);
  const known = costs?.get(key);
  if (known !== undefined) return known;
  const cost = getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
  if (!costs) cache.set(document, (costs = new LruCache(MAX_COSTS_PER_DOCUMENT)));
  costs.set(key, cost);
  return cost;
}

const tooCostly = (message: string, extra: Record<string, unknown>): GraphQLError =>
  new GraphQLError(message, { extensions: { code: GraphQLErrorCodes.GRAPHQL_VALIDATION_FAILED, reason: 'QUERY_TOO_COSTLY', ...extra, http: { status: 400 } } });

/** Whether the operation's variables coerce; when they do not, execution reports them (BAD_USER_INPUT). */
function variablesCoerce(schema: GraphQLSchema, operation: OperationDefinitionNode | undefined, variables: Record<string, unknown>): boolean {
  if (!operation) return true;
  return !getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors;
}

/**
 * Refuses operations whose estimated cost exceeds `maxCost`, and operations whose cost cannot
 * be measured (graphql-query-complexity gives up past 10,000 field nodes, fragments
 * expanded): a query is never run unmeasured.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  // Keyed by the DocumentNode: Apollo keeps one per query text in its own bounded store (an LRU
  // of about 30 MiB), so these live no longer than Apollo's.
  const cache = new WeakMap<DocumentNode, LruCache<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          const variables = request.variables ?? {};
          if (!variablesCoerce(schema, operation, variables)) return;
          let cost: number;
          try {
            cost = costOf(schema, document, operation, variables, request.operationName ?? undefined, cache);
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw tooCostly(`the cost of the operation cannot be measured (${reason}): it is refused; ask for fewer fields, aliases or fragments`, { maxCost });
          }
          if (!Number.isFinite(cost) || cost > maxCost) {
            throw tooCostly(`the operation costs ${cost}; the limit is ${maxCost}: ask for fewer rows (first) or fewer fields`, { cost, maxCost });
          }
        },
      };
    },
  };
}

/**
 * Refuses operation types the schema does not serve (a subscription here): graphql-js would
 * accept them and fail at execution, which Apollo reports as an internal error.
 */
export function servedOperationsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const schema = context.getSchema();
      if (schema.getRootType(node.operation)) return;
      const served = Object.values(OperationTypeNode)
        .filter((kind) => schema.getRootType(kind))
        .join(' and ');
      context.reportError(
        new GraphQLError(`this server does not serve ${node.operation} operations: it serves ${served} operations only`, {
          nodes: node,
          extensions: { reason: 'OPERATION_NOT_SERVED', operation: node.operation },
        }),
      );
    },
  };
}
