// Types of rules.mjs for the TypeScript tests (test/unit/architecture/).
import type { Rules } from './check.mjs';

declare const rules: Rules;
export default rules;
