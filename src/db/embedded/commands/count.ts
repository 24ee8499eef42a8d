import { CommandError } from '../errors.js';
import { applyCollation, collationOf } from '../query/collation.js';
import { Query } from '../query/mingo-context.js';
import { timed } from '../query/time-limit.js';
import { candidateDocuments } from '../query/planner.js';
import { findDocuments } from '../query/find.js';
import { valueKey } from '../storage/value-key.js';
import { isView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { findOnView } from './views.js';
import { checkHint, collectionName, existing, nonNegative, optionalDocument, optionalNumber } from './support.js';

export const countCommand: CommandDefinition = {
  name: 'count',
  run(command, context) {
    const collection = existing(context, collectionName(command, 'count'));
    const collation = collationOf(optionalDocument(command, 'collation'));
    const raw = optionalDocument(command, 'query');
    const query = raw && collation ? applyCollation(raw, collation) : raw;
    if (query) new Query(query); // parsed (and refused when wrong) even when there is nothing to count
    if (!collection) return { n: 0, ok: 1 };
    if (isView(collection)) {
      const docs = findOnView(context.catalog, collection, { filter: query, skip: nonNegative(command, 'skip'), limit: optionalNumber(command, 'limit') });
      let n = 0;
      for (let next = docs.next(); !next.done; next = docs.next()) n++;
      return { n, ok: 1 };
    }
    checkHint(collection, command.hint);
    const skip = nonNegative(command, 'skip') ?? 0;
    const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
    let n: number;
    if (!query || Object.keys(query).length === 0) {
      n = collection.size;
    } else {
      const test = new Query(query);
      n = 0;
      for (const doc of timed(candidateDocuments(collection, query, { buildViews: true }))) if (test.test(doc)) n++;
    }
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
    return { n, ok: 1 };
  },
};

export const distinctCommand: CommandDefinition = {
  name: 'distinct',
  run(command, context) {
    const collection = existing(context, collectionName(command, 'distinct'));
    if (collationOf(optionalDocument(command, 'collation'))) {
      throw new CommandError(
        'InvalidOptions',
        'the datadragon engine does not support distinct with a collation (its values would be told apart in binary order): run it without one, or against MongoDB',
      );
    }
    const key = command.key;
    if (typeof key !== 'string') return { values: [], ok: 1 };
    const seen = new Map<string, unknown>();
    const filter = optionalDocument(command, 'query');
    const source = isView(collection) ? findOnView(context.catalog, collection!, { filter }) : findDocuments(collection, { filter });
    const path = key.split('.');
    for (let next = source.next(); !next.done; next = source.next()) {
      for (const value of distinctValues(next.value, path)) {
        const k = valueKey(value);
        if (!seen.has(k)) seen.set(k, value);
      }
    }
    return { values: [...seen.values()], ok: 1 };
  },
};

function distinctValues(value: unknown, path: readonly string[], i = 0): unknown[] {
  if (value === undefined) return [];
  if (i === path.length) return Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) return value.flatMap((element) => distinctValues(element, path, i));
  if (value && typeof value === 'object') return distinctValues((value as Record<string, unknown>)[path[i]!], path, i + 1);
  return [];
}
