// GraphQL Code Generator schema loader (see codegen.yml): the schema built from the
// type-graphql code, as compiled by `npm run build` into dist/.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function loadDatadragonSchema() {
  const entry = path.join(__dirname, '..', 'dist', 'src', 'server', 'schema.js');
  const { buildAppSchema } = await import(pathToFileURL(entry).href);
  return buildAppSchema();
};
