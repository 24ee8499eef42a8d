/**
 * JSON text as users type it (a `find` filter, a sort): a strict RFC 8259 scanner that only
 * locates the first error, then Extended JSON parsing (relaxed). JSON.parse's messages differ
 * between V8 versions and do not always give a position; this gives line, column and excerpt.
 */
import { EJSON } from 'bson';
import { FilterError, type TextPosition } from './errors.js';

export const MAX_JSON_DEPTH = 512;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  const code = text.codePointAt(offset) ?? 0;
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(code)}'`;
}

function scanJson(text: string): void {
  let i = 0;
  const n = text.length;
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(at, reason);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  const string = (): void => {
    const open = i;
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('unterminated string (opened at column ' + (open + 1 - text.lastIndexOf('\n', open)) + ')');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(`${describeChar(text, i)} inside a string (escape it)`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape: expected 4 hex digits');
          i += 6;
        } else fail(`invalid escape '\\${e ?? ''}' in string`);
        continue;
      }
      i++;
    }
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else fail(`expected a digit but found ${describeChar(text, i)}`);
    if (text[i] === '.') {
      i++;
      if (!isDigit(text.charCodeAt(i))) fail(`expected a digit after '.' but found ${describeChar(text, i)}`);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text.charCodeAt(i))) fail(`expected a digit in the exponent but found ${describeChar(text, i)}`);
      while (isDigit(text.charCodeAt(i))) i++;
    }
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`expected a value but found ${describeChar(text, i)}`);
  };
  const value = (depth: number): void => {
    if (depth > MAX_JSON_DEPTH) fail('too deeply nested');
    const c = text[i];
    if (c === '{') object(depth);
    else if (c === '[') array(depth);
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && isDigit(c.charCodeAt(0)))) number();
    else if (c === "'") fail("expected a value but found ''' (JSON strings use double quotes)");
    else fail(`expected a value but found ${describeChar(text, i)}`);
  };
  /** An object or an array, from its opening bracket: `member` reads one property or element; commas separate them, none after the last. */
  const members = (close: '}' | ']', memberName: string, member: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected ',' or '${close}' after ${memberName} but found ${describeChar(text, i)}`);
    }
  };
  const object = (depth: number): void =>
    members('}', 'a property value', () => {
      if (text[i] !== '"') {
        const found = text[i];
        const hint = found === '}' ? ' (no trailing comma allowed)' : found === ',' ? ' (two commas in a row?)' : ' (property names need double quotes)';
        fail(`expected a property name but found ${describeChar(text, i)}${i < n ? hint : ''}`);
      }
      string();
      ws();
      if (text[i] !== ':') fail(`expected ':' after the property name but found ${describeChar(text, i)}`);
      i++;
      ws();
      value(depth + 1);
    });
  const array = (depth: number): void =>
    members(']', 'an array element', () => {
      if (text[i] === ']') fail("expected a value but found ']' (no trailing comma allowed)");
      value(depth + 1);
    });
  ws();
  if (i >= n) fail('the input is empty');
  value(0);
  ws();
  if (i < n) fail(`unexpected ${describeChar(text, i)} after the end of the JSON value`);
}

/** 1-based line and column of a 0-based offset (\n, \r\n and \r all end a line). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The error's line, cut to about 24 characters on each side of the column. */
function excerptAt(text: string, offset: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let lineEnd = text.slice(offset).search(/[\r\n]/);
  lineEnd = lineEnd === -1 ? text.length : offset + lineEnd;
  const from = Math.max(lineStart, offset - 24);
  const to = Math.min(lineEnd, offset + 24);
  return (from > lineStart ? '…' : '') + text.slice(from, to) + (to < lineEnd ? '…' : '');
}

/** Parses strict JSON (as Extended JSON, relaxed); syntax errors are `BAD_JSON` with a position. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    scanJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const position = positionOf(text, error.offset);
    const excerpt = excerptAt(text, error.offset);
    throw new FilterError('BAD_JSON', `Malformed ${what} JSON at line ${position.line}, column ${position.column}: ${error.reason}; near: ${excerpt}`, {
      position,
      excerpt,
    });
  }
  try {
    return EJSON.parse(text, { relaxed: true });
  } catch (error) {
    // Syntactically valid JSON, invalid Extended JSON (e.g. {"$oid": "not hex"}).
    throw new FilterError('BAD_JSON', `Invalid Extended JSON in the ${what}: ${(error as Error).message}`);
  }
}
