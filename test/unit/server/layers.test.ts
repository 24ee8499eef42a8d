/**
 * Layers point down: the CLI and the server assemble the resolvers, the resolvers use the
 * schema types and the services, the services use the database; no module imports from a
 * layer above its own (a cycle such as resolvers ↔ server makes either impossible to load or
 * test alone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/**
 * Each layer, top first; a folder may import from its own layer and the ones below it. The
 * services share one layer (the models name the spending's month keys; the seed's workers
 * run the seeding's generators).
 */
const LAYERS: string[][] = [['cli'], ['server'], ['resolvers'], ['schema'], ['explore', 'jobs'], ['spending', 'seeding', 'workers', 'models'], ['db']];
const rank = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folders under src/ that a file imports from (relative imports, static and dynamic). */
function importedFolders(file: string): { specifier: string; folder: string }[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: { specifier: string; folder: string }[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!));
    if (target.startsWith('..')) continue;
    const folder = target.split(path.sep)[0]!;
    if (target.includes(path.sep)) found.push({ specifier: match[1]!, folder });
  }
  return found;
}

describe('layers', () => {
  it('every folder of src/ is in a layer', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((folder) => rank(folder) === -1)).toEqual([]);
  });

  it('no module imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const own = path.relative(SRC, file).split(path.sep);
      if (own.length < 2) continue; // src/*.ts (errors, config): below every folder, checked by what they import
      for (const { specifier, folder } of importedFolders(file)) {
        if (rank(folder) < rank(own[0]!)) upward.push(`${path.relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
