/**
 * What mingo and bson throw, in MongoDB's words. mingo refuses a bad query, pipeline or update
 * with a MingoError whose message names mingo's own options ("requires 'scriptEnabled'"); a
 * client must read what mongod would have said, with mongod's code. The messages matched here
 * are mingo 7's (a test per pattern in test/unit/db/embedded/query/library-errors.test.ts
 * catches a change of wording on upgrade).
 */
import type { ErrorCodeName, ErrorKind } from './errors.js';

export interface Translated {
  kind: ErrorCodeName | ErrorKind;
  message: string;
}

const loc = (code: number): ErrorKind => ({ code, codeName: `Location${code}` });

/** Server-side JavaScript is off in the engine, as on a mongod started with --noscripting. */
export const NO_JAVASCRIPT: Translated = { kind: loc(31264), message: 'Cannot run server-side javascript without the javascript engine enabled' };
export const NO_WHERE: Translated = { kind: loc(6108304), message: 'no globalScriptEngine in $where parsing' };

/** [mingo's message, what mongod answers] — the first match wins. */
const RULES: readonly [RegExp, (match: RegExpExecArray) => Translated][] = [
  [
    /^(?:unregistered pipeline operator|Unknown pipeline operator:) '?(\$[^'.\s]*)'?/,
    (m) => ({ kind: loc(40324), message: `Unrecognized pipeline stage name: '${m[1]}'` }),
  ],
  [/^unknown query operator (\S+)/, (m) => ({ kind: 'BadValue', message: `unknown operator: ${m[1]}` })],
  [
    /^unknown top level operator: (\S+)/,
    (m) => ({
      kind: 'BadValue',
      message: `unknown top level operator: ${m[1]}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
    }),
  ],
  [/^accumulator '(\$[^']*)' is not registered/, (m) => ({ kind: 'InvalidPipelineOperator', message: `Unrecognized expression '${m[1]}'` })],
  [
    /^Unknown update operator: '(\$[^']*)'/,
    (m) => ({ kind: 'FailedToParse', message: `Unknown modifier: ${m[1]}. Expected a valid update modifier or pipeline-style update specified as an array` }),
  ],
  [/^\$where (?:operator )?requires 'scriptEnabled'/, () => NO_WHERE],
  [/^\$(?:function|accumulator) requires 'scriptEnabled'/, () => NO_JAVASCRIPT],
  [/^\$jsonSchema requires/, () => ({ kind: 'BadValue', message: '$jsonSchema is not supported here by the datadragon engine' })],
  [/^Use of undefined variable: (\S+)/, (m) => ({ kind: loc(17276), message: `Use of undefined variable: ${m[1]}` })],
  [/^\$group specification must include an '_id'/, () => ({ kind: loc(15955), message: 'a group specification must include an _id' })],
  [/^timezone '([^']*)' is invalid/, (m) => ({ kind: loc(40485), message: `unrecognized time zone identifier: "${m[1]}"` })],
  [/^Path collision at (\S+?)\.?$/, (m) => ({ kind: loc(31250), message: `Path collision at ${m[1]}` })],
  [/^Invalid empty sub-projection/, () => ({ kind: loc(51270), message: 'An empty sub-projection is not a valid value. Found empty object at path' })],
];

function isMingoError(error: Error): boolean {
  return error instanceof Error && error.constructor.name === 'MingoError';
}

/**
 * MongoDB's code and words for an error thrown by mingo or bson about the user's input;
 * undefined for anything else (a bug of the engine, or of mingo: "bug:" messages).
 */
export function translateLibraryError(error: unknown): Translated | undefined {
  if (!(error instanceof Error)) return undefined;
  if (isMingoError(error)) {
    const message = error.message;
    if (/^bug\b/i.test(message) || message.startsWith('mingo:')) return undefined;
    for (const [pattern, translate] of RULES) {
      const match = pattern.exec(message);
      if (match) return translate(match);
    }
    // mingo's other refusals describe the operand that is wrong ("$concat expects array"):
    // they are about the user's input, and say which operator and what it wanted.
    return { kind: 'BadValue', message };
  }
  // An invalid regular expression in a filter or an expression: the user's pattern.
  if (error instanceof SyntaxError && error.message.startsWith('Invalid regular expression')) {
    return { kind: loc(51091), message: `Regular expression is invalid: ${error.message.replace(/^Invalid regular expression: /, '')}` };
  }
  // bson refuses values it cannot represent (an ObjectId from a bad string, say): input too.
  if (error.name === 'BSONError' || error.name === 'BSONVersionError' || error.name === 'BSONRuntimeError') return { kind: 'BadValue', message: error.message };
  return undefined;
}
