// Types of check.mjs for the TypeScript tests (test/unit/scripts/layers/).

export interface SourceFile {
  path: string;
  text: string;
}

export type Rule = 'layer' | 'barrel' | 'private' | 'package';

export interface Unit {
  name: string;
  files: string | string[];
  /** Units of one module import each other's files freely (default: the unit's name). */
  module?: string;
  /** The one file other modules import it through. */
  barrel?: string;
  /** Other files of the module that may be imported directly, beside its barrel. */
  entries?: string[];
  /** The only units of other modules that may import it. */
  importers?: string[];
  /** It may import other modules' files directly, not only their barrels (tests of internals). */
  deep?: boolean;
}

export interface PackageRule {
  packages: string[];
  onlyFrom?: string[];
  notFrom?: string[];
  /** Type-only imports do not count (nothing of the package runs). */
  valueOnly?: boolean;
  why: string;
}

export interface AllowEntry {
  rule: Rule;
  from: string;
  to: string;
  removedBy: string;
}

export interface Rules {
  roots?: string[];
  units: Unit[];
  layers: string[][];
  packages?: PackageRule[];
  allow?: AllowEntry[];
}

export interface Violation {
  rule: Rule;
  from: string;
  line: number;
  kind: 'static' | 'type' | 'dynamic' | 'entry';
  specifier: string;
  /** The resolved file, or the package's name. */
  to: string;
  message: string;
}

export interface Result {
  files: number;
  imports: number;
  violations: Violation[];
  allowed: { entry: AllowEntry; violations: Violation[] }[];
  stale: AllowEntry[];
  unassigned: string[];
  unresolved: Omit<Violation, 'rule' | 'message'>[];
  edges: Map<string, number>;
}

export function globToRegExp(glob: string): RegExp;
export function packageOf(specifier: string): string;
export function checkLayers(files: SourceFile[], rules: Rules): Result;
export function formatReport(result: Result, options?: { verbose?: boolean; rulesFile?: string }): string;
export function failed(result: Result, options?: { strict?: boolean }): boolean;
