// The imports of one TypeScript source file, read with the TypeScript parser (so an `import(`
// inside a string or a comment is not mistaken for one): static imports and re-exports,
// dynamic `import('…')` with a literal specifier, and `new URL('./…', base)`, the way this code
// names the entry file of a worker thread or a child process.
import ts from 'typescript';

/**
 * @param {string} fileName used for the parser's diagnostics only
 * @param {string} text the file's source
 * @returns {{ specifier: string, line: number, kind: 'static' | 'type' | 'dynamic' | 'entry' }[]}
 */
export function readImports(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const add = (literal, kind) => {
    const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
    found.push({ specifier: literal.text, line: line + 1, kind });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, isTypeOnlyImport(node) ? 'type' : 'static');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'static');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, 'type'); // `import('mongoose').Types.ObjectId` in a type position
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument, 'dynamic');
    } else if (isEntryUrl(node)) {
      add(node.arguments[0], 'entry');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `import type { … }`, or every named binding marked `type`: nothing of the module runs. */
function isTypeOnlyImport(node) {
  const clause = node.importClause;
  if (!clause) return false; // `import './side-effect.js'`
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** `new URL('./<literal>', base)`: a module's own URL (`import.meta.url`, or a copy of it) as the base. */
function isEntryUrl(node) {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'URL') return false;
  const [first, second] = node.arguments ?? [];
  return first !== undefined && second !== undefined && ts.isStringLiteralLike(first) && /^\.\.?\//.test(first.text);
}
