// ESLint: the recommended rules of ESLint and typescript-eslint, without type information (a
// type-aware run would build every tsconfig of the project on each lint). Formatting is
// Prettier's (.prettierrc.json); nothing here checks layout. `npm run lint` runs both.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', 'bench/results/', '.datadragon/', 'scratch/', 'test/helpers/generated/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // everything runs on Node, except the pages' scripts below
    ignores: ['web/dashboard/**/*.ts', 'public/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // code that runs in the browser: the dashboard and the playground
    files: ['web/dashboard/**/*.ts', 'public/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a parameter a signature requires (Express knows an error
      // handler by its four parameters) or a binding kept only to name what is left out; the
      // rest of a destructuring is how this code drops fields from a document.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A `let` assigned once but read first by a closure (a test's phase that cancels the job
      // `startJob` is about to return) cannot be a `const`: it would be read before it exists.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // CommonJS on purpose: GraphQL Code Generator loads its schema loader with require()
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
