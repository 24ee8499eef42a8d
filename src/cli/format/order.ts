/**
 * Documents with their fields in the order they were asked for (`--fields email,customer_id`):
 * the server returns a projection in the stored order, and JSON readers see the keys in the
 * order they are written.
 */
type Doc = Record<string, unknown>;

const isObject = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * A copy of `doc` whose keys follow `fields` (dotted paths: nested keys follow too); keys
 * under no field come after, as they were. The values are the same objects.
 */
export function orderByFields(doc: Doc, fields: readonly string[]): Doc {
  if (fields.length === 0) return doc;
  // The fields by their first segment, in order: "a.b,c,a.d" → a: [b, d], c: [''].
  const byHead = new Map<string, string[]>();
  for (const field of fields) {
    const dot = field.indexOf('.');
    const head = dot < 0 ? field : field.slice(0, dot);
    byHead.set(head, [...(byHead.get(head) ?? []), dot < 0 ? '' : field.slice(dot + 1)]);
  }
  const out: Doc = {};
  for (const [head, rest] of byHead) {
    if (!Object.hasOwn(doc, head)) continue;
    const value = doc[head];
    out[head] = isObject(value) && !rest.includes('') ? orderByFields(value, rest) : value;
  }
  for (const [key, value] of Object.entries(doc)) if (!Object.hasOwn(out, key)) out[key] = value;
  return out;
}
