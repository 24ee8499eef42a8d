// `npm run codegen` (after the build): GraphQL Code Generator's core and plugins driven by
// codegen.yml, without its CLI, whose loaders for remote schemas (URLs, GitHub, Apollo
// Studio) and task runner we do not use and which want Node 22. The schema comes from the
// custom loader named in codegen.yml, the documents from the one .graphql file it names;
// each output is written with its plugins, in the order of the file.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import { getCachedDocumentNodeFromSchema, normalizeConfig, normalizeInstanceOrArray, normalizeOutputParam } from '@graphql-codegen/plugin-helpers';
import { parse } from 'graphql';
import YAML from 'yaml';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const config = YAML.parse(fs.readFileSync(path.join(root, 'codegen.yml'), 'utf8'));

/** The schema: every entry of `schema` must be a custom loader ({ name: { loader: file } }). */
async function loadSchema() {
  const entries = normalizeInstanceOrArray(config.schema).flatMap((entry) => Object.entries(entry));
  if (entries.length !== 1) throw new Error('codegen.yml: expected one schema, from a custom loader');
  const [[name, { loader }]] = entries;
  if (typeof loader !== 'string') throw new Error(`codegen.yml: the schema ${name} has no loader`);
  const load = require(path.resolve(root, loader));
  return (typeof load === 'function' ? load : load.default)(name, {});
}

/** The documents: .graphql files named in `documents` (no globs). */
function loadDocuments() {
  return normalizeInstanceOrArray(config.documents).map((file) => {
    const location = path.resolve(root, file);
    const rawSDL = fs.readFileSync(location, 'utf8');
    return { location, rawSDL, document: parse(rawSDL) };
  });
}

const schemaAst = await loadSchema();
const schema = getCachedDocumentNodeFromSchema(schemaAst);
const documents = loadDocuments();
for (const [filename, output] of Object.entries(config.generates)) {
  const { plugins: rawPlugins, config: outputConfig = {} } = normalizeOutputParam(output);
  const plugins = normalizeConfig(rawPlugins);
  const pluginMap = Object.fromEntries(plugins.map((plugin) => Object.keys(plugin)[0]).map((name) => [name, require(`@graphql-codegen/${name}`)]));
  const content = await codegen({
    filename,
    schema,
    schemaAst,
    documents,
    plugins,
    pluginMap,
    config: { ...config.config, ...outputConfig, emitLegacyCommonJSImports: true },
    emitLegacyCommonJSImports: true,
    documentTransforms: [],
    pluginContext: {},
  });
  fs.writeFileSync(path.join(root, filename), content);
  console.log(`codegen: wrote ${filename}`);
}
