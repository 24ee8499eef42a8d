/**
 * mingo's refusals in MongoDB's words (src/db/embedded/library-errors.ts): each case runs the real mingo
 * through the engine's Query/Aggregator and checks the code and message mongod gives for the
 * same input (MongoDB manual, "Error Codes"; the messages are mongod 7's). A change of mingo's
 * wording on upgrade fails here instead of reaching a client.
 */
import { describe, expect, it } from 'vitest';
import { CommandError, isEngineBug, toCommandError } from '../../../../src/db/embedded/errors.js';
import { Aggregator, Query } from '../../../../src/db/embedded/query/mingo-context.js';

function refusal(run: () => unknown): CommandError {
  try {
    run();
  } catch (error) {
    return toCommandError(error);
  }
  throw new Error('expected a refusal');
}

const aggregate = (pipeline: object[]) => () => new Aggregator(pipeline as never).run([{ _id: 1, a: 1 }]);
const find = (filter: object) => () => new Query(filter as never).find([{ _id: 1, a: 1 }]).all();

describe('mingo errors become MongoDB errors', () => {
  it.each([
    ['an unknown stage: 40324', aggregate([{ $foo: {} }]), 40324, "Unrecognized pipeline stage name: '$foo'"],
    ['an unknown query operator: 2', find({ a: { $foo: 1 } }), 2, 'unknown operator: $foo'],
    ['an unknown top-level operator: 2', find({ $foo: 1 }), 2, /^unknown top level operator: \$foo/],
    ['an unknown expression operator: 168', aggregate([{ $project: { x: { $foo: 1 } } }]), 168, "Unrecognized expression '$foo'"],
    ['$where without JavaScript: 6108304', find({ $where: 'true' }), 6108304, 'no globalScriptEngine in $where parsing'],
    [
      '$function without JavaScript: 31264',
      aggregate([{ $project: { x: { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } } } }]),
      31264,
      'Cannot run server-side javascript without the javascript engine enabled',
    ],
    [
      '$accumulator without JavaScript: 31264',
      aggregate([
        {
          $group: {
            _id: null,
            x: { $accumulator: { init: 'function() {}', accumulate: 'function() {}', accumulateArgs: [], merge: 'function() {}', lang: 'js' } },
          },
        },
      ]),
      31264,
      /javascript engine/,
    ],
    ['$text without a text index: 27', find({ $text: { $search: 'x' } }), 27, 'text index required for $text query'],
    ['an undefined variable: 17276', aggregate([{ $project: { x: '$$nope' } }]), 17276, 'Use of undefined variable: nope'],
  ])('%s', (_name, run, code, message) => {
    const error = refusal(run);
    expect(error.code).toBe(code);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/mingo|scriptEnabled|jsonSchemaValidator|registered/);
  });

  it('an invalid regular expression is 51091', () => {
    const error = refusal(find({ a: { $regex: '(' } }));
    expect(error).toMatchObject({ code: 51091, codeName: 'Location51091' });
    expect(error.message).toMatch(/^Regular expression is invalid/);
  });
});

describe('engine bugs are InternalError, never BadValue', () => {
  it('a TypeError inside the engine is code 1 and says it is a bug', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const error = toCommandError(bug);
    expect(error).toMatchObject({ code: 1, codeName: 'InternalError' });
    expect(error.message).toMatch(/bug in the engine/);
    expect(error.message).toContain("Cannot read properties of undefined (reading 'x')");
    expect(isEngineBug(bug)).toBe(true);
  });

  it("the engine's own refusals are kept as they are", () => {
    const refused = new CommandError('InvalidOptions', 'no');
    expect(toCommandError(refused)).toBe(refused);
    expect(isEngineBug(refused)).toBe(false);
  });
});
