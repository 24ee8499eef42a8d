/**
 * `npm run test:browser`: the playground and the dashboard in a real headless Chromium
 * (Debian's `chromium` package, driven by playwright-core); the script bundles the dashboard
 * first. Not part of `npm test`: it needs the browser installed (`apt-get install -y
 * chromium`; CI does it in .ci/run).
 */
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql for everyone (see vitest.config.ts).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
