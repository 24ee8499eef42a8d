/**
 * JSON output: one array of documents, pretty-printed, as relaxed Extended JSON (plain JSON
 * for strings and numbers; `{"$date": ...}`, `{"$oid": ...}` for BSON types), so that the
 * output parses back with `EJSON.parse` to the same values. `ndjson.ts` has one per line.
 */
import { EJSON } from 'bson';

/** One document as pretty relaxed Extended JSON, every line indented by `indent`. */
function prettyDoc(doc: unknown, indent: string): string {
  return indent + EJSON.stringify(doc, undefined, 2, { relaxed: true }).replace(/\n/g, `\n${indent}`);
}

/** A streaming JSON array writer: `start()`, `item(doc)` for each, `end()`; each returns text. */
export function jsonArrayWriter(): { start(): string; item(doc: unknown): string; end(): string } {
  let count = 0;
  return {
    start: () => '[',
    item: (doc) => `${count++ === 0 ? '\n' : ',\n'}${prettyDoc(doc, '  ')}`,
    end: () => (count === 0 ? ']\n' : '\n]\n'),
  };
}

export function formatJson(docs: readonly unknown[]): string {
  const writer = jsonArrayWriter();
  return writer.start() + docs.map((doc) => writer.item(doc)).join('') + writer.end();
}
