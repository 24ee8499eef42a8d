/** Where the datadragon package is on disk, and its manifest: found from src/ or from dist/src/. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The folder of the package's package.json. */
  root: string;
  version: string;
}

let found: PackageInfo | undefined;

/** The nearest folder above this module whose package.json is datadragon's. */
export function packageInfo(): PackageInfo {
  if (found) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'datadragon') return (found = { root: dir, version: pkg.version ?? 'unknown' });
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the datadragon package above ${fileURLToPath(import.meta.url)}: reinstall it`);
    dir = parent;
  }
}

/** The package's root folder. */
export const packageRoot = (): string => packageInfo().root;
