/**
 * Sorted finds answered by walking an ordered view (ordered-view.ts) of an index on the first
 * sort key instead of sorting the matches: groups of equal first keys come in order (reversed
 * for a descending key, each group's documents staying in natural order as in mingo's stable
 * sort), each group's matches sorted by the remaining keys; the walk stops once `skip + limit`
 * documents passed the filter. The first key's range in the filter bounds the walk.
 *
 * It gives exactly the documents, in exactly the order, of mingo's sort of all the matches,
 * and is used only when it can: every value of every sort key in the collection is ranked
 * (sort-rank.ts), so that mingo's comparisons are a total order the view and the group sort
 * reproduce. Otherwise (arrays, NaN, Longs...) the caller sorts with mingo as before.
 */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { fieldRange, type FieldRange } from './field-range.js';
import { OrderedView, sortValue } from './ordered-view.js';
import { compareRanked } from './sort-rank.js';

/**
 * A collection's ordered views by field, as of its `writes`-th change: all stale, and dropped,
 * at its next write (so that inserts never pay for them); null when the field's values do not
 * allow one. Kept beside the collection rather than in it: storage/ does not know of views.
 */
const viewsOf = new WeakMap<Collection, { writes: number; views: Map<string, OrderedView | null> }>();

/**
 * The ordered view of `collection` by `field` (kept until the collection's next write), for
 * `_id` or a field that is the first of an index; undefined when none can serve.
 */
export function viewFor(collection: Collection, field: string, build: boolean): OrderedView | undefined {
  if (field !== '_id' && !collection.secondaryIndexes().some((index) => index.fields[0] === field)) return undefined;
  let kept = viewsOf.get(collection);
  if (kept?.writes !== collection.writes) {
    if (!build) return undefined;
    kept = { writes: collection.writes, views: new Map() };
    viewsOf.set(collection, kept);
  }
  let view = kept.views.get(field);
  if (view === undefined && build) {
    view = OrderedView.build(collection.docs, field) ?? null;
    kept.views.set(field, view);
  }
  return view ?? undefined;
}

export interface OrderedWalk {
  view: OrderedView;
  range: FieldRange;
  /** How many documents the range holds: what the walk reads at most. */
  size: number;
}

/**
 * How a find sorted by `sort` would walk an index: undefined when no index can give mingo's
 * order (no index on the first key, an unranked value, a sort direction other than 1/-1), or
 * when its view is not built and `build` is false.
 */
export function planOrderedWalk(collection: Collection, filter: Document, sort: Document, build: boolean): OrderedWalk | undefined {
  const keys = Object.keys(sort);
  if (keys.length === 0 || !keys.every((key) => sort[key] === 1 || sort[key] === -1)) return undefined;
  const view = viewFor(collection, keys[0]!, build);
  if (!view || !keys.slice(1).every((key) => view.isRankedKey(key))) return undefined;
  const range = fieldRange(filter, keys[0]!);
  if (range === 'empty') return { view, range, size: 0 };
  const [start, end] = view.slots(range);
  return { view, range, size: end - start };
}

/**
 * The first `need` documents passing `test` in `sort`'s order (a few more when a group of
 * equal first keys ends past `need`; all of them when `need` is Infinity), but the first
 * `passed` of them: those the caller knows pass `test` (a find without a filter) and skips,
 * left out unread, so that a deep page reads no more than its own documents.
 */
export function walkInOrder(walk: OrderedWalk, sort: Document, test: (doc: Document) => boolean, need: number, passed = 0): Document[] {
  const out: Document[] = [];
  if (walk.range === 'empty') return out;
  const { view } = walk;
  const [start, end] = view.slots(walk.range);
  const keys = Object.keys(sort);
  const rest = keys.slice(1).map((key) => ({ key, direction: sort[key] as 1 | -1 }));
  const wanted = need - passed;
  let unread = passed;
  const emit = (from: number, to: number): void => {
    if (unread >= to - from) {
      unread -= to - from;
      return;
    }
    if (rest.length === 0) {
      // Slots of one group are in natural order, the order mingo's stable sort keeps.
      for (let slot = from + unread; slot < to && out.length < wanted; slot++) {
        const doc = view.doc(slot);
        if (doc !== undefined && test(doc)) out.push(doc);
      }
      unread = 0;
      return;
    }
    const group: Document[] = [];
    for (let slot = from; slot < to; slot++) {
      const doc = view.doc(slot);
      if (doc !== undefined && test(doc)) group.push(doc);
    }
    if (group.length > 1) sortGroup(group, rest);
    for (let i = unread; i < group.length; i++) out.push(group[i]!);
    unread = 0;
  };
  if (sort[keys[0]!] === 1) {
    // Ascending without other keys needs no group bounds: slots are already in order.
    if (rest.length === 0) emit(start, end);
    else for (let slot = start; slot < end && out.length < wanted;) slot = emitGroup(slot, view.groupEnd(slot, end), emit);
  } else {
    for (let slot = end; slot > start && out.length < wanted;) {
      const from = view.groupStart(slot - 1, start);
      emit(from, slot);
      slot = from;
    }
  }
  return out;
}

function emitGroup(from: number, to: number, emit: (from: number, to: number) => void): number {
  emit(from, to);
  return to;
}

/** Sorts one group's matches by the remaining sort keys, stably (mingo's order: all their values are ranked). */
function sortGroup(group: Document[], rest: { key: string; direction: 1 | -1 }[]): void {
  const values = new Map<Document, unknown[]>();
  for (const doc of group)
    values.set(
      doc,
      rest.map(({ key }) => sortValue(doc, key)),
    );
  group.sort((a, b) => {
    const va = values.get(a)!;
    const vb = values.get(b)!;
    for (let i = 0; i < rest.length; i++) {
      const order = compareRanked(va[i], vb[i]);
      if (order !== 0) return order * rest[i]!.direction;
    }
    return 0;
  });
}
