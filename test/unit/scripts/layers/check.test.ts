/**
 * The import-rule check (scripts/check-layers.mjs) on small trees held in memory: what it reads
 * as an import, and which imports each rule refuses, allows or lets through the allow-list.
 */
import { describe, expect, it } from 'vitest';
import { checkLayers, failed, formatReport, globToRegExp, packageOf, type Rules, type SourceFile } from '../../../../scripts/layers/check.mjs';
import { readImports } from '../../../../scripts/layers/imports.mjs';
import repositoryRules from '../../../../scripts/layers/rules.mjs';

/** Three layers: `cli` on top, `jobs` and `reports` as peers, then `core`; an engine-like module of two units below. */
const RULES: Rules = {
  roots: ['src'],
  units: [
    { name: 'cli', files: 'src/cli/**', barrel: 'src/cli/index.ts' },
    { name: 'jobs', files: 'src/jobs/**', barrel: 'src/jobs/index.ts' },
    { name: 'reports', files: 'src/reports/**', barrel: 'src/reports/index.ts' },
    { name: 'core', files: ['src/core.ts'] },
    { name: 'engine/host', files: 'src/engine/index.ts', module: 'engine', barrel: 'src/engine/index.ts', importers: ['jobs'] },
    { name: 'engine/store', files: 'src/engine/store/**', module: 'engine', barrel: 'src/engine/index.ts' },
  ],
  layers: [['cli'], ['jobs', 'reports'], ['core'], ['engine/host'], ['engine/store']],
  packages: [
    { packages: ['commander'], onlyFrom: ['cli'], why: 'argument parsing is the command line' },
    { packages: ['mongodb'], notFrom: ['engine/*'], why: 'the engine is a server' },
  ],
};

const tree = (files: Record<string, string>): SourceFile[] => Object.entries(files).map(([path, text]) => ({ path, text }));

/** A tree that follows every rule; each test adds the one file that breaks one. */
const CLEAN = {
  'src/cli/index.ts': "import { Command } from 'commander';\nimport { runJob } from '../jobs/index.js';\nimport { core } from '../core.js';\n",
  'src/jobs/index.ts': "export { runJob } from './run.js';\nimport { startEngine } from '../engine/index.js';\n",
  'src/jobs/run.ts': "import type { Db } from 'mongodb';\nimport { core } from '../core.js';\nexport const runJob = (db: Db) => core(db);\n",
  'src/reports/index.ts': 'export const report = 1;\n',
  'src/core.ts': 'export const core = (x: unknown) => x;\n',
  'src/engine/index.ts': "export { write } from './store/write.js';\nexport const startEngine = () => undefined;\n",
  'src/engine/store/write.ts': "import { flush } from './flush.js';\nexport const write = () => flush();\n",
  'src/engine/store/flush.ts': 'export const flush = () => undefined;\n',
};

const check = (extra: Record<string, string> = {}, rules: Rules = RULES) => checkLayers(tree({ ...CLEAN, ...extra }), rules);

describe('reading imports', () => {
  it('finds static, type-only, re-exported, dynamic and entry-file imports, each with its line', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      'type G = import("./g.js").G;',
      "const h = await import('./h.js');",
      "const worker = new URL('./worker.js', import.meta.url);",
      "import './side-effect.js';",
    ].join('\n');
    expect(readImports('x.ts', text)).toEqual([
      { specifier: './a.js', line: 1, kind: 'static' },
      { specifier: './b.js', line: 2, kind: 'type' },
      { specifier: './c.js', line: 3, kind: 'type' },
      { specifier: './e.js', line: 4, kind: 'static' },
      { specifier: './f.js', line: 5, kind: 'type' },
      { specifier: './g.js', line: 6, kind: 'type' },
      { specifier: './h.js', line: 7, kind: 'dynamic' },
      { specifier: './worker.js', line: 8, kind: 'entry' },
      { specifier: './side-effect.js', line: 9, kind: 'static' },
    ]);
  });

  it('counts a mixed import as one that runs the module', () => {
    expect(readImports('x.ts', "import { a, type B } from './a.js';")).toEqual([{ specifier: './a.js', line: 1, kind: 'static' }]);
  });

  it('ignores import-like text in strings, comments and URLs that are not relative', () => {
    const text = [
      "const code = `import('tsx/esm/api').then(() => import('./x.js'))`;",
      "// import { y } from './y.js';",
      "const page = new URL('https://example.com/a', base);",
      'const computed = new URL(`${name}.js`, import.meta.url);',
    ].join('\n');
    expect(readImports('x.ts', text)).toEqual([]);
  });
});

describe('globs and package names', () => {
  it('matches one level with *, any depth with **, and alternatives with braces', () => {
    expect(globToRegExp('src/db/*.ts').test('src/db/connection.ts')).toBe(true);
    expect(globToRegExp('src/db/*.ts').test('src/db/embedded/engine.ts')).toBe(false);
    expect(globToRegExp('src/cli/**').test('src/cli/commands/find.ts')).toBe(true);
    expect(globToRegExp('src/a/**/b.ts').test('src/a/b.ts')).toBe(true);
    expect(globToRegExp('src/{x,y}.ts').test('src/y.ts')).toBe(true);
    expect(globToRegExp('src/{x,y}.ts').test('src/z.ts')).toBe(false);
    expect(globToRegExp('src/page.args.ts').test('src/pageXargs.ts')).toBe(false);
  });

  it('names the package of a specifier', () => {
    expect(['mongoose', '@apollo/server/express4', 'graphql-scalars', 'node:fs/promises'].map(packageOf)).toEqual([
      'mongoose',
      '@apollo/server',
      'graphql-scalars',
      'node:fs',
    ]);
  });
});

describe('the rules', () => {
  it('passes a tree where every import points down and through barrels', () => {
    const result = check();
    expect(result.violations).toEqual([]);
    expect(result.unassigned).toEqual([]);
    expect(failed(result)).toBe(false);
    expect(result.edges.get('cli -> jobs')).toBe(1);
    expect(result.edges.get('engine/host -> engine/store')).toBe(1);
  });

  it('refuses an import of a layer above, naming both units and the line', () => {
    const result = check({ 'src/core.ts': "export const core = (x: unknown) => x;\nimport { runJob } from './jobs/index.js';\n" });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ rule: 'layer', from: 'src/core.ts', line: 2, to: 'src/jobs/index.ts' });
    expect(result.violations[0]?.message).toMatch(/core .*may not import jobs, which is above it/);
    expect(failed(result)).toBe(true);
  });

  it('refuses an import between peers of one layer', () => {
    const result = check({ 'src/reports/index.ts': "import { runJob } from '../jobs/index.js';\n" });
    expect(result.violations.map((v) => [v.rule, v.message])).toEqual([['layer', expect.stringMatching(/reports may not import jobs: they are peers/)]]);
  });

  it('refuses a type-only import upward too, and says it is one', () => {
    const result = check({ 'src/core.ts': "import type { Command } from './cli/index.js';\nexport const core = 1;\n" });
    expect(result.violations[0]).toMatchObject({ rule: 'layer', kind: 'type' });
    expect(formatReport(result)).toContain('src/core.ts:1 (type only) -> src/cli/index.ts');
  });

  it("refuses a direct import of another module's file, but not one between units of one module", () => {
    const result = check({ 'src/cli/deep.ts': "import { runJob } from '../jobs/run.js';\n" });
    expect(result.violations).toEqual([
      expect.objectContaining({ rule: 'barrel', to: 'src/jobs/run.ts', message: expect.stringContaining('through its barrel src/jobs/index.ts') }),
    ]);
  });

  it("lets a worker's entry file be named by path, and still checks its direction", () => {
    const down = check({ 'src/cli/pool.ts': "const entry = new URL('../jobs/run.js', import.meta.url);\n" });
    expect(down.violations).toEqual([]);
    const up = check({ 'src/jobs/pool.ts': "const entry = new URL('../cli/index.js', import.meta.url);\n" });
    expect(up.violations.map((v) => [v.rule, v.kind])).toEqual([['layer', 'entry']]);
  });

  it('keeps a private unit to the importers it names', () => {
    const result = check({ 'src/cli/db.ts': "import { startEngine } from '../engine/index.js';\n" });
    expect(result.violations).toEqual([expect.objectContaining({ rule: 'private', message: 'engine/host may be imported only by jobs' })]);
  });

  it('keeps packages to the units allowed to use them', () => {
    const result = check({
      'src/jobs/parse.ts': "import { Command } from 'commander';\n",
      'src/engine/store/client.ts': "import { MongoClient } from 'mongodb';\n",
    });
    expect(result.violations.map((v) => [v.rule, v.from, v.to])).toEqual([
      ['package', 'src/jobs/parse.ts', 'commander'],
      ['package', 'src/engine/store/client.ts', 'mongodb'],
    ]);
    expect(result.violations[1]?.message).toBe('engine/store may not import mongodb: the engine is a server');
  });

  it('fails on a file that belongs to no unit', () => {
    const result = check({ 'src/stray/thing.ts': 'export const thing = 1;\n' });
    expect(result.unassigned).toEqual(['src/stray/thing.ts']);
    expect(failed(result)).toBe(true);
    expect(formatReport(result)).toMatch(/Files in no unit \(1\)[\s\S]*src\/stray\/thing\.ts[\s\S]*FAILED/);
  });

  it('reports a relative import that resolves to no file, without failing on it', () => {
    const result = check({ 'src/jobs/broken.ts': "import { gone } from './gone.js';\n" });
    expect(result.unresolved).toEqual([expect.objectContaining({ from: 'src/jobs/broken.ts', to: 'src/jobs/gone.js' })]);
    expect(failed(result)).toBe(false);
  });

  it('refuses rules that leave a unit out of the layers or name a layer entry that is no unit', () => {
    expect(() => check({}, { ...RULES, layers: RULES.layers.slice(1) })).toThrow(/unit cli is in no layer/);
    expect(() => check({}, { ...RULES, layers: [...RULES.layers, ['ghost']] })).toThrow(/ghost is not a unit/);
  });
});

describe('tests as units', () => {
  const rules: Rules = {
    ...RULES,
    roots: ['src', 'test'],
    units: [{ name: 'test', files: 'test/**', deep: true }, ...RULES.units],
    layers: [['test'], ...RULES.layers],
    packages: [...(RULES.packages ?? []), { packages: ['mongodb'], notFrom: ['test'], valueOnly: true, why: 'unit tests touch no database' }],
  };

  it('may import any file of a module, not only its barrel', () => {
    expect(check({ 'test/run.test.ts': "import { runJob } from '../src/jobs/run.js';\n" }, rules).violations).toEqual([]);
  });

  it('still keep to what a private unit allows', () => {
    const result = check({ 'test/engine.test.ts': "import { startEngine } from '../src/engine/index.js';\n" }, rules);
    expect(result.violations.map((v) => v.rule)).toEqual(['private']);
  });

  it('count only the imports that run a package, for a rule on values', () => {
    const result = check({ 'test/a.test.ts': "import type { Db } from 'mongodb';\n", 'test/b.test.ts': "import { MongoClient } from 'mongodb';\n" }, rules);
    expect(result.violations.map((v) => [v.rule, v.from])).toEqual([['package', 'test/b.test.ts']]);
  });
});

describe('the allow-list', () => {
  const upward = { 'src/core.ts': "import { runJob } from './jobs/index.js';\nimport { report } from './reports/index.js';\n" };
  const allow = (from: string, to: string) => ({ rule: 'layer' as const, from, to, removedBy: 'moving core below' });

  it('lets a known violation through, listed under its entry with what removes it', () => {
    const result = check(upward, { ...RULES, allow: [allow('src/core.ts', 'src/{jobs,reports}/index.ts')] });
    expect(result.violations).toEqual([]);
    expect(result.allowed).toHaveLength(1);
    expect(result.allowed[0]?.violations.map((v) => v.to)).toEqual(['src/jobs/index.ts', 'src/reports/index.ts']);
    expect(formatReport(result)).toContain('removed by: moving core below');
    expect(failed(result)).toBe(false);
  });

  it('matches the rule as well as the paths', () => {
    const result = check(upward, { ...RULES, allow: [{ ...allow('src/core.ts', 'src/jobs/index.ts'), rule: 'barrel' }] });
    expect(result.violations).toHaveLength(2);
  });

  it('reports an entry that matches nothing as stale, and fails on it only when strict', () => {
    const result = check(upward, { ...RULES, allow: [allow('src/core.ts', 'src/{jobs,reports}/index.ts'), allow('src/core.ts', 'src/cli/index.ts')] });
    expect(result.stale).toEqual([allow('src/core.ts', 'src/cli/index.ts')]);
    expect(failed(result)).toBe(false);
    expect(failed(result, { strict: true })).toBe(true);
    expect(formatReport(result)).toMatch(/Stale allow-list entries \(1\)/);
  });
});

describe("the repository's rules", () => {
  it('put every unit in one layer, and name what removes each allowed violation', () => {
    expect(() => checkLayers([], repositoryRules)).not.toThrow();
    for (const entry of repositoryRules.allow ?? []) expect(entry.removedBy.length, `${entry.from} -> ${entry.to}`).toBeGreaterThan(20);
  });

  it('keep unit tests off the database', () => {
    const result = checkLayers(
      tree({
        'test/unit/x.test.ts': "import type { Db } from 'mongodb';\nimport { openTestDatabase } from '../helpers/database.js';\n",
        'test/integration/y.test.ts': "import { MongoClient } from 'mongodb';\nimport { openTestDatabase } from '../helpers/database.js';\n",
        'test/helpers/database.ts': 'export const openTestDatabase = 1;\n',
      }),
      { ...repositoryRules, allow: [] },
    );
    expect(result.violations.map((v) => [v.rule, v.from, v.to])).toEqual([['private', 'test/unit/x.test.ts', 'test/helpers/database.ts']]);
  });

  it('keep the engine off the driver and the app off the engine internals', () => {
    const result = checkLayers(
      tree({
        'src/db/embedded/storage/x.ts': "import { MongoClient } from 'mongodb';\n",
        'src/spending/y.ts': "import { startEngine } from '../db/embedded/index.js';\n",
        'src/db/embedded/index.ts': 'export const startEngine = 1;\n',
      }),
      { ...repositoryRules, allow: [] },
    );
    expect(result.violations.map((v) => [v.rule, v.from])).toEqual([
      ['package', 'src/db/embedded/storage/x.ts'],
      ['private', 'src/spending/y.ts'],
    ]);
  });
});
