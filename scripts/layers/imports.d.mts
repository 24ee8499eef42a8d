// Types of imports.mjs for the TypeScript tests (test/unit/scripts/layers/).

export interface FoundImport {
  specifier: string;
  line: number;
  kind: 'static' | 'type' | 'dynamic' | 'entry';
}

export function readImports(fileName: string, text: string): FoundImport[];
