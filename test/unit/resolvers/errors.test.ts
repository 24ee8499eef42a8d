/** The GraphQL error classes carry their code and HTTP status, and toGraphQLError maps application errors to them. */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../../src/errors.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, toGraphQLError, UnauthenticatedError } from '../../../src/resolvers/errors.js';

describe('the GraphQL errors a client can act on', () => {
  it.each([
    [BadUserInputError, 'BadUserInputError', 'BAD_USER_INPUT', 400],
    [ConflictError, 'ConflictError', 'CONFLICT', 409],
    [NotFoundError, 'NotFoundError', 'NOT_FOUND', 404],
  ] as const)('%o: its name, code, status, public details and the error it maps', (Class, name, code, status) => {
    const original = new Error('inside');
    const error = new Class('what to fix', { path: 'a.b' }, original);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).toBeInstanceOf(Class);
    expect([error.name, error.message, error.originalError]).toEqual([name, 'what to fix', original]);
    expect(error.extensions).toEqual({ path: 'a.b', code, http: { status } });
  });

  it('without details or an original error, the extensions are the code and status only', () => {
    const error = new NotFoundError('no such job');
    expect(error.extensions).toEqual({ code: 'NOT_FOUND', http: { status: 404 } });
    expect(error.originalError).toBeUndefined();
  });

  it('each class is its own: a conflict is not a bad input', () => {
    expect(new ConflictError('held')).not.toBeInstanceOf(BadUserInputError);
    expect(new BadUserInputError('bad')).not.toBeInstanceOf(NotFoundError);
  });

  it('401 and 403 have default messages', () => {
    expect(new UnauthenticatedError().extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(new ForbiddenError().extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
  });
});

describe('toGraphQLError', () => {
  it.each([
    [ErrorCodes.BAD_USER_INPUT, BadUserInputError, 400],
    [ErrorCodes.CONFLICT, ConflictError, 409],
    [ErrorCodes.NOT_FOUND, NotFoundError, 404],
  ] as const)('an AppError %s becomes its GraphQL error, with the public details only', (code, Class, status) => {
    const app = new AppError(code, 'the message', { reason: 'WHY', path: 'x', secret: 'kept out' });
    const mapped = toGraphQLError(app) as GraphQLError;
    expect(mapped).toBeInstanceOf(Class);
    expect([mapped.message, mapped.originalError]).toEqual(['the message', app]);
    expect(mapped.extensions).toEqual({ reason: 'WHY', path: 'x', code, http: { status } });
  });

  it('an AppError UNAVAILABLE is a 503 with Retry-After', () => {
    const mapped = toGraphQLError(new AppError(ErrorCodes.UNAVAILABLE, 'busy', { retryAfterSeconds: 7 })) as GraphQLError;
    expect(mapped.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(mapped.extensions.retryAfterSeconds).toBe(7);
    const http = mapped.extensions.http as { status: number; headers: Map<string, string> };
    expect([http.status, http.headers.get('retry-after')]).toEqual([503, '7']);
  });

  it('GraphQL errors pass through; other errors and other codes are returned unchanged (internal)', () => {
    const graphql = new ForbiddenError();
    const plain = new Error('bug');
    const failed = new AppError(ErrorCodes.FAILED, 'crashed');
    expect(toGraphQLError(graphql)).toBe(graphql);
    expect(toGraphQLError(plain)).toBe(plain);
    expect(toGraphQLError(failed)).toBe(failed);
  });
});
