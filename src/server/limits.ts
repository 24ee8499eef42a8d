/**
 * Query limits: a depth limit (a validation rule, so a too-deep query is refused before it
 * runs) and a cost limit (graphql-query-complexity, in a plugin because the cost of a page
 * depends on `first`, which may be a variable). Pages cost `first` × what one row asks for
 * (see the `complexity` options of the resolvers). Introspection is not counted.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValidationContext } from 'graphql';
import { createRequire } from 'node:module';
import { GraphQLErrorCodes } from './errors.js';

// The CommonJS build on purpose: the package's ESM build imports graphql's ESM build
// (graphql/index.mjs), a second copy of graphql that refuses the schema built with the
// CommonJS one that Apollo Server and type-graphql use.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

function selectionDepth(selectionSet: SelectionSetNode | undefined, fragments: (name: string) => FragmentDefinitionNode | null | undefined, seen: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
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

/**
 * The cost of one operation. Costs depend on the document and on `first` (an Int, maybe a
 * variable), never on string or id variables: cached per parsed document (Apollo reuses the
 * same DocumentNode for the same query text) and per the values of its numeric variables, so
 * a by-id query run with many ids is estimated once.
 */
function costOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, cache: WeakMap<DocumentNode, Map<string, number>>): number {
  const numeric = Object.entries(variables).filter(([, value]) => typeof value === 'number' || value === null);
  const key = `${operationName ?? ''}|${JSON.stringify(numeric)}`;
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
  if (!costs) cache.set(document, (costs = new Map()));
  if (costs.size < 100) costs.set(key, cost);
  return cost;
}

/** Refuses operations whose estimated cost exceeds `maxCost`. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const cache = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = costOf(schema, document, request.variables ?? {}, request.operationName ?? undefined, cache);
          } catch (error) {
            // Bad variables: execution reports them. Anything else is a bug: refuse, loudly.
            if (error instanceof GraphQLError) return;
            throw error;
          }
          if (cost > maxCost) {
            throw new GraphQLError(`the operation costs ${cost}; the limit is ${maxCost}: ask for fewer rows (first) or fewer fields`, {
              extensions: { code: GraphQLErrorCodes.GRAPHQL_VALIDATION_FAILED, reason: 'QUERY_TOO_COSTLY', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
