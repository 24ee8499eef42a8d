/** The scalars of the schema besides type-graphql's own (Int, Float, ID, DateTimeISO). */
export { GraphQLJSON as JSONScalar, GraphQLSafeInt as SafeIntScalar } from 'graphql-scalars';
export { ObjectIdScalar } from './object-id.scalar.js';
