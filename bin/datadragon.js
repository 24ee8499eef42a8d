#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('datadragon: error: the command line is not built yet: run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
