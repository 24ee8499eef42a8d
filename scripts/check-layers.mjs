#!/usr/bin/env node
// `npm run check:layers`: checks the imports of src/ and test/ against the layer rules of
// docs/ARCHITECTURE.md (scripts/layers/rules.mjs) and lists every violation.
// Options: --verbose (each allowed import), --strict (stale allow-list entries fail too),
// --graph (the import counts between units), --help.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, failed, formatReport } from './layers/check.mjs';
import rules from './layers/rules.mjs';

const HELP = `Usage: npm run check:layers -- [--verbose] [--strict] [--graph]

Checks every import in src/ and test/ against the layer rules (scripts/layers/rules.mjs,
explained in docs/ARCHITECTURE.md §3 and §7) and lists the violations. Exits 1 on a violation
or on a file that belongs to no unit.

  --verbose  list each import the allow-list lets through, not only the entries
  --strict   also fail on allow-list entries that no longer match anything
  --graph    print how many imports go from each unit to each other unit
  --help     this text`;

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((arg) => !['--verbose', '--strict', '--graph', '--help', '-h'].includes(arg));
if (args.has('--help') || args.has('-h') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`check-layers: unknown option ${unknown.join(', ')}\n`);
  console.log(HELP);
  process.exit(unknown.length > 0 ? 2 : 0);
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(directory) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, directory), { withFileTypes: true })) {
    const relative = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(relative));
    else if (/\.(?:ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(relative);
  }
  return out;
}

const files = rules.roots.flatMap(sourceFiles).map((file) => ({ path: file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
const result = checkLayers(files, rules);
console.log(formatReport(result, { verbose: args.has('--verbose') }));
if (args.has('--graph')) {
  console.log('\nImports between units:');
  for (const [edge, count] of [...result.edges].sort()) console.log(`  ${edge}: ${count}`);
}
process.exit(failed(result, { strict: args.has('--strict') }) ? 1 : 0);
