/** NDJSON: one document per line, compact relaxed Extended JSON (see json.ts). */
import { EJSON } from 'bson';

export function ndjsonLine(doc: unknown): string {
  return `${EJSON.stringify(doc, { relaxed: true })}\n`;
}

export function formatNdjson(docs: readonly unknown[]): string {
  return docs.map(ndjsonLine).join('');
}
