/**
 * `ObjectId`: a MongoDB ObjectId as 24 hexadecimal digits. The one place ids are converted:
 * resolvers receive and return `ObjectId` instances, never hex strings.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Types } from 'mongoose';

const HEX = /^[0-9a-fA-F]{24}$/;

function parse(value: unknown): Types.ObjectId {
  if (typeof value === 'string' && HEX.test(value)) return new Types.ObjectId(value.toLowerCase());
  throw new GraphQLError(`an ObjectId is 24 hexadecimal digits, got ${JSON.stringify(value) ?? String(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

export const ObjectIdScalar = new GraphQLScalarType<Types.ObjectId, string>({
  name: 'ObjectId',
  description: 'A MongoDB ObjectId, written as 24 hexadecimal digits.',
  serialize(value: unknown): string {
    if (typeof value === 'string' && HEX.test(value)) return value.toLowerCase();
    if (typeof value === 'object' && value !== null && typeof (value as { toHexString?: unknown }).toHexString === 'function') {
      return (value as { toHexString(): string }).toHexString();
    }
    throw new GraphQLError(`cannot serialize ${String(value)} as an ObjectId`);
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('an ObjectId is a string of 24 hexadecimal digits', { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});
