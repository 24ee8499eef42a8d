/**
 * The db barrel is light to load (src/db/index.ts): `datadragon db` takes only createDataDir
 * from it and must not load Mongoose, which comes with a connection. Checked in a child process,
 * so that what this suite's other files have loaded does not count.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The packages whose CommonJS files (Mongoose's and the driver's are) importing `file` loads. */
function packagesLoadedBy(file: string): string[] {
  const script = [
    "import { createRequire } from 'node:module';",
    `await import(${JSON.stringify(new URL(file, `file://${ROOT}`).href)});`,
    'const loaded = Object.keys(createRequire(process.cwd() + "/").cache);',
    'const names = loaded.map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean);',
    'console.log(JSON.stringify([...new Set(names)]));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as string[];
}

describe('the db barrel', () => {
  it('loads neither Mongoose nor the driver until a connection is opened', () => {
    const loaded = packagesLoadedBy('src/db/index.ts');
    expect(loaded).not.toContain('mongoose');
    expect(loaded).not.toContain('mongodb');
    expect(loaded).not.toContain('mongodb-memory-server-core');
  });

  it('sees a package that is loaded: the models barrel loads Mongoose', () => {
    expect(packagesLoadedBy('src/models/index.ts')).toContain('mongoose');
  });
});
