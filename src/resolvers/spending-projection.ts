/**
 * Which `customer_spending` fields a query asks for, as a MongoDB projection: a by-id read
 * of three fields should not fetch (and decode) the twelve months of categories. Only the
 * top level of `CustomerSpending` is looked at (a sub-object is fetched whole); anything
 * it cannot follow means "every field".
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Schema field of `CustomerSpending` → the document field it reads. */
const DOCUMENT_FIELDS: Readonly<Record<string, string>> = {
  customerId: 'customer_id',
  email: 'email',
  year: 'year',
  details: 'details',
  monthlySpenses: 'monthly_spenses',
  monthlyAvgExpense: 'monthly_avg_expense',
  categorizedMonthlyExpenses: 'categorized_monthly_expenses',
  categorizedMonthlyAvgExpense: 'categorized_monthly_avg_expense',
};

type Fragments = Record<string, FragmentDefinitionNode>;

/** The field selections of a selection set, through fragments; undefined when it cannot tell. */
function fieldsOf(selectionSet: SelectionSetNode, fragments: Fragments, into: Map<string, SelectionSetNode | undefined>, depth = 0): boolean {
  if (depth > 20) return false;
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return false; // @include/@skip: keep it simple, fetch all
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      // The same object field twice (aliases) would need its selections merged: fetch all.
      if (into.has(name) && (into.get(name) || selection.selectionSet)) return false;
      into.set(name, selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!fieldsOf(selection.selectionSet, fragments, into, depth + 1)) return false;
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || !fieldsOf(fragment.selectionSet, fragments, into, depth + 1)) return false;
    }
  }
  return true;
}

function projectionOf(selectionSet: SelectionSetNode | undefined, fragments: Fragments, always: string[]): Record<string, 1> | undefined {
  if (!selectionSet) return undefined;
  const fields = new Map<string, SelectionSetNode | undefined>();
  if (!fieldsOf(selectionSet, fragments, fields)) return undefined;
  const projection: Record<string, 1> = {};
  for (const name of fields.keys()) {
    if (name === '__typename') continue;
    const path = DOCUMENT_FIELDS[name];
    if (path === undefined) return undefined; // a field this map does not know: fetch all
    projection[path] = 1;
  }
  for (const path of always) projection[path] = 1;
  return withoutCoveredPaths(projection);
}

/** `{ a: 1, 'a.b': 1 }` is a path collision for MongoDB: keep `a` only. */
function withoutCoveredPaths(projection: Record<string, 1>): Record<string, 1> {
  const paths = Object.keys(projection);
  return Object.fromEntries(paths.filter((path) => !paths.some((other) => path.startsWith(`${other}.`))).map((path) => [path, 1 as const]));
}

/**
 * Projections per field node and sort path. A field node belongs to one parsed document (with
 * its fragments), and Apollo reuses the parsed document of a query text it has seen: a query
 * run many times with different variables is walked once. Callers must not modify the result.
 */
const cache = new WeakMap<FieldNode, Map<string, Readonly<Record<string, 1>> | undefined>>();

function cached(info: GraphQLResolveInfo, key: string, compute: (node: FieldNode | undefined) => Record<string, 1> | undefined): Record<string, 1> | undefined {
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  if (!node) return compute(undefined);
  let byKey = cache.get(node);
  if (!byKey) cache.set(node, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key);
  const projection = compute(node);
  byKey.set(key, projection && Object.freeze(projection));
  return projection;
}

/** For `customerSpending`: the fields of the returned object. */
export function spendingProjection(info: GraphQLResolveInfo): Record<string, 1> | undefined {
  return cached(info, '', (node) => projectionOf(node?.selectionSet, info.fragments, []));
}

/** For `customerSpendings`: the fields of `edges.node`, plus the sort field (cursors need it). */
export function spendingPageProjection(info: GraphQLResolveInfo, sortPath: string): Record<string, 1> | undefined {
  return cached(info, sortPath, (node) => pageProjectionOf(node, info.fragments, sortPath));
}

function pageProjectionOf(node: FieldNode | undefined, fragments: Fragments, sortPath: string): Record<string, 1> | undefined {
  if (!node?.selectionSet) return undefined;
  const connection = new Map<string, SelectionSetNode | undefined>();
  if (!fieldsOf(node.selectionSet, fragments, connection)) return undefined;
  const edges = connection.get('edges');
  if (!connection.has('edges')) return { [sortPath]: 1 }; // totalCount / pageInfo only (cursors need the sort value)
  const edge = new Map<string, SelectionSetNode | undefined>();
  if (!edges || !fieldsOf(edges, fragments, edge)) return undefined;
  if (!edge.has('node')) return { [sortPath]: 1 };
  return projectionOf(edge.get('node'), fragments, sortPath === '_id' ? [] : [sortPath]);
}
