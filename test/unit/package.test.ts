/** The package's root and version, found once for the CLI (--version) and the server (its assets). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/cli/run.js';
import { packageRoot } from '../../src/package.js';

describe('the package', () => {
  it("is the folder of datadragon's package.json, and its version is that file's", () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(path.resolve(packageRoot())).toBe(path.resolve(root));
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(packageVersion()).toBe(manifest.version);
  });
});
