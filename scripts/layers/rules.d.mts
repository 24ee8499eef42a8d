// Types of rules.mjs for the TypeScript tests (test/unit/scripts/layers/).
import type { Rules } from './check.mjs';

declare const rules: Rules;
export default rules;
