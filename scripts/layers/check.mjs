// The import-rule check over a set of source files: which unit each file belongs to, which
// units and packages each import reaches, and which of those imports break a rule of
// scripts/layers/rules.mjs (the rules are explained in docs/ARCHITECTURE.md §3).
// Pure: files come in as { path, text } and the result is data, so the unit test can run it
// on a tree of a few lines; scripts/check-layers.mjs reads the repository and prints.
import path from 'node:path';
import { readImports } from './imports.mjs';

/** Turns `src/db/*.ts`, `src/cli/**`, `src/{a,b}.ts` into a regular expression over posix paths. */
export function globToRegExp(glob) {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
      if (glob[i + 1] === '/') i++; // `a/**/b` also matches `a/b`
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '{') pattern += '(?:';
    else if (c === '}') pattern += ')';
    else if (c === ',' && pattern.includes('(?:')) pattern += '|';
    else pattern += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

const matcher = (globs) => {
  const expressions = [globs].flat().map(globToRegExp);
  return (value) => expressions.some((expression) => expression.test(value));
};

/** The package an import names: `@scope/name`, `name` or `node:x` (`fs` counts as `node:fs`). */
export function packageOf(specifier) {
  if (specifier.startsWith('node:')) return specifier.split('/')[0];
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function compileRules(rules) {
  const layerOf = new Map();
  rules.layers.forEach((names, index) => {
    for (const name of names) {
      if (layerOf.has(name)) throw new Error(`rules: unit ${name} is in two layers`);
      layerOf.set(name, index);
    }
  });
  const units = rules.units.map((unit) => {
    if (!layerOf.has(unit.name)) throw new Error(`rules: unit ${unit.name} is in no layer`);
    return { ...unit, module: unit.module ?? unit.name, barrel: unit.barrel ?? null, layer: layerOf.get(unit.name), matches: matcher(unit.files) };
  });
  for (const name of layerOf.keys()) if (!units.some((unit) => unit.name === name)) throw new Error(`rules: layer entry ${name} is not a unit`);
  const packages = (rules.packages ?? []).map((rule) => ({
    ...rule,
    names: new Set(rule.packages),
    onlyFrom: rule.onlyFrom ? matcher(rule.onlyFrom) : null,
    notFrom: rule.notFrom ? matcher(rule.notFrom) : null,
  }));
  const allow = (rules.allow ?? []).map((entry) => ({ entry, from: matcher(entry.from), to: matcher(entry.to), hits: [] }));
  return { units, packages, allow, roots: rules.roots ?? ['src'], layers: rules.layers };
}

/** Resolves a relative specifier the way TypeScript's NodeNext resolution does for this code. */
function resolveRelative(fromPath, specifier, known) {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), specifier));
  const candidates = [target];
  if (target.endsWith('.js')) candidates.unshift(target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'));
  if (target.endsWith('.mjs')) candidates.unshift(target.replace(/\.mjs$/, '.mts'));
  candidates.push(`${target}.ts`, `${target}/index.ts`);
  return { target, resolved: candidates.find((candidate) => known.has(candidate)) ?? null };
}

const layerName = (compiled, index) => `layer ${index + 1} (${compiled.layers[index].join(', ')})`;

/**
 * @param {{ path: string, text: string }[]} files posix paths relative to the repository
 * @param {object} rules the shape of scripts/layers/rules.mjs
 */
export function checkLayers(files, rules) {
  const compiled = compileRules(rules);
  const known = new Set(files.map((file) => file.path));
  const unitOf = (file) => compiled.units.find((unit) => unit.matches(file)) ?? null;
  const inRoots = (file) => compiled.roots.some((root) => file === root || file.startsWith(`${root}/`));
  const found = [];
  const unassigned = [];
  const unresolved = [];
  const edges = new Map();
  let imports = 0;

  for (const file of files) {
    const from = unitOf(file.path);
    if (!from) {
      unassigned.push(file.path);
      continue;
    }
    for (const { specifier, line, kind } of readImports(file.path, file.text)) {
      imports++;
      const at = { from: file.path, line, kind, specifier };
      if (!specifier.startsWith('.')) {
        const name = packageOf(specifier);
        for (const rule of compiled.packages) {
          if (!rule.names.has(name) || (rule.valueOnly && kind === 'type')) continue;
          const refused = (rule.onlyFrom && !rule.onlyFrom(from.name)) || (rule.notFrom && rule.notFrom(from.name));
          if (refused) found.push({ ...at, rule: 'package', to: name, message: `${from.name} may not import ${name}: ${rule.why}` });
        }
        continue;
      }
      if (specifier.endsWith('/')) continue; // a folder's URL (to list or read files), not a module
      const { target, resolved } = resolveRelative(file.path, specifier, known);
      if (!resolved) {
        if (inRoots(target)) unresolved.push({ ...at, to: target });
        continue;
      }
      const to = unitOf(resolved);
      if (!to || to.name === from.name) continue;
      const edge = `${from.name} -> ${to.name}`;
      edges.set(edge, (edges.get(edge) ?? 0) + 1);
      // One finding per import, the most structural first: fixing the direction of an import
      // usually changes what it imports too.
      const violation = { ...at, to: resolved };
      if (to.layer < from.layer) {
        found.push({
          ...violation,
          rule: 'layer',
          message: `${from.name} (${layerName(compiled, from.layer)}) may not import ${to.name}, which is above it (${layerName(compiled, to.layer)})`,
        });
      } else if (to.layer === from.layer) {
        found.push({ ...violation, rule: 'layer', message: `${from.name} may not import ${to.name}: they are peers in ${layerName(compiled, to.layer)}` });
      } else if (from.module !== to.module && to.importers && !to.importers.includes(from.name)) {
        found.push({ ...violation, rule: 'private', message: `${to.name} may be imported only by ${to.importers.join(', ')}` });
      } else if (from.module !== to.module && to.barrel && resolved !== to.barrel && !(to.entries ?? []).includes(resolved) && kind !== 'entry' && !from.deep) {
        const missing = known.has(to.barrel) ? '' : ` (there is no ${to.barrel} yet: add one that exports what other folders use)`;
        found.push({ ...violation, rule: 'barrel', message: `import ${to.module} through its barrel ${to.barrel}, not ${resolved}${missing}` });
      }
    }
  }

  const violations = [];
  for (const violation of found) {
    const entry = compiled.allow.find((candidate) => candidate.entry.rule === violation.rule && candidate.from(violation.from) && candidate.to(violation.to));
    if (entry) entry.hits.push(violation);
    else violations.push(violation);
  }
  return {
    files: files.length,
    imports,
    violations,
    allowed: compiled.allow.filter((entry) => entry.hits.length > 0).map(({ entry, hits }) => ({ entry, violations: hits })),
    stale: compiled.allow.filter((entry) => entry.hits.length === 0).map(({ entry }) => entry),
    unassigned,
    unresolved,
    edges,
  };
}

/** The result as the terminal shows it. */
export function formatReport(result, { verbose = false, rulesFile = 'scripts/layers/rules.mjs' } = {}) {
  const lines = [`check-layers: ${result.files} files, ${result.imports} imports, rules in ${rulesFile}`];
  const where = (violation) => `${violation.from}:${violation.line}${violation.kind === 'type' ? ' (type only)' : ''}`;
  if (result.unassigned.length > 0) {
    lines.push('', `Files in no unit (${result.unassigned.length}): add a unit for them in ${rulesFile}`);
    for (const file of result.unassigned) lines.push(`  ${file}`);
  }
  if (result.violations.length > 0) {
    lines.push(
      '',
      `Violations (${result.violations.length}): fix the import, or (for a known one being worked on) add an allow-list entry that names what removes it`,
    );
    for (const violation of result.violations) {
      lines.push(`  [${violation.rule}] ${where(violation)} -> ${violation.to}`, `      ${violation.message}`);
    }
  }
  if (result.unresolved.length > 0) {
    lines.push('', `Unresolved relative imports (${result.unresolved.length}, not checked):`);
    for (const item of result.unresolved) lines.push(`  ${where(item)} -> ${item.specifier}`);
  }
  const allowedCount = result.allowed.reduce((sum, { violations }) => sum + violations.length, 0);
  lines.push('', `Known violations, allowed until fixed (${allowedCount} imports, ${result.allowed.length} allow-list entries):`);
  for (const { entry, violations } of result.allowed) {
    lines.push(
      `  [${entry.rule}] ${entry.from} -> ${entry.to}: ${violations.length} import${violations.length === 1 ? '' : 's'}`,
      `      removed by: ${entry.removedBy}`,
    );
    if (verbose) for (const violation of violations) lines.push(`      ${where(violation)} -> ${violation.to}`);
  }
  if (result.stale.length > 0) {
    lines.push(
      '',
      `Stale allow-list entries (${result.stale.length}): nothing matches them; delete them from ${rulesFile}, unless the code they are for is still to be merged`,
    );
    for (const entry of result.stale) lines.push(`  [${entry.rule}] ${entry.from} -> ${entry.to}`);
  }
  lines.push('', failed(result) ? 'check-layers: FAILED' : 'check-layers: ok');
  return lines.join('\n');
}

/** Whether the check fails: a violation or a file in no unit; with `strict`, a stale entry too. */
export function failed(result, { strict = false } = {}) {
  return result.violations.length > 0 || result.unassigned.length > 0 || (strict && result.stale.length > 0);
}
