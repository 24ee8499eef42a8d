/**
 * The response size limit: a result whose JSON would exceed `maxResponseBytes` is replaced by
 * one error (400, `BAD_USER_INPUT`, `reason: RESPONSE_TOO_LARGE`) before it is serialized. The
 * cost limit keeps results small in the first place; this bounds what a query the cost model
 * underestimates can make the server serialize, hold and send.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLErrorCodes } from './errors.js';

class TooLarge extends Error {}

/**
 * The length in bytes of `JSON.stringify(value)` (UTF-8; escapes in strings not counted), or
 * `Infinity` as soon as it exceeds `limit`: the work is bounded by the limit, not the value.
 */
export function jsonSizeWithin(value: unknown, limit: number): number {
  let size = 0;
  const add = (n: number): void => {
    size += n;
    if (size > limit) throw new TooLarge();
  };
  const visit = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
        add(Buffer.byteLength(item) + 2);
        return;
      case 'number':
      case 'bigint':
        add(String(item).length);
        return;
      case 'boolean':
        add(item ? 4 : 5);
        return;
      case 'object':
        if (item === null) return add(4);
        if (Array.isArray(item)) {
          add(2 + Math.max(0, item.length - 1));
          for (const element of item) {
            if (element === undefined) add(4);
            else visit(element);
          }
          return;
        }
        if (typeof (item as { toJSON?: unknown }).toJSON === 'function') return visit((item as { toJSON(): unknown }).toJSON());
        add(2);
        {
          let first = true;
          for (const [key, element] of Object.entries(item)) {
            if (element === undefined || typeof element === 'function') continue;
            add(Buffer.byteLength(key) + 3 + (first ? 0 : 1));
            first = false;
            visit(element);
          }
        }
        return;
      default:
        return; // undefined, functions, symbols: left out by JSON.stringify
    }
  };
  try {
    visit(value);
    return size;
  } catch (error) {
    if (error instanceof TooLarge) return Infinity;
    throw error;
  }
}

export function responseSizePlugin(maxResponseBytes: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (jsonSizeWithin(response.body.singleResult, maxResponseBytes) <= maxResponseBytes) return;
          response.http.status = 400;
          response.body.singleResult = {
            errors: [
              {
                message: `the response would be larger than ${maxResponseBytes} bytes, the limit: ask for fewer rows (first), fewer fields or fewer aliases`,
                extensions: { code: GraphQLErrorCodes.BAD_USER_INPUT, reason: 'RESPONSE_TOO_LARGE', maxResponseBytes },
              },
            ],
          };
        },
      };
    },
  };
}
