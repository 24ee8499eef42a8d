/**
 * `datadragon <command> --help` loads the command's file and what it imports at top level: a
 * command file imports only light modules there (commander's types, the CLI's helpers, its
 * defaults), and loads the services, the server and the engine inside its action.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const COMMANDS_DIR = new URL('../../../src/cli/commands/', import.meta.url);
/** What a command file may import at top level. */
const LIGHT = new Set(['node:path', 'commander', '../run.js', '../../errors.js', '../format/formats.js', '../../seeding/defaults.js']);
const CHECKED = ['crunch', 'db', 'find', 'reset', 'seed', 'serve'];

describe('command files load their heavy modules lazily', () => {
  it.each(CHECKED)('%s.ts imports only light modules at top level', (name) => {
    const text = fs.readFileSync(new URL(`${name}.ts`, COMMANDS_DIR), 'utf8');
    const imports = [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)].map((match) => match[1]!);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !LIGHT.has(specifier))).toEqual([]);
  });
});
