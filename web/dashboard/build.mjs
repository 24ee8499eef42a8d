// `npm run build` (after tsc): bundles the dashboard (web/dashboard/main.ts with Chart.js from
// node_modules, and its stylesheet) into dist/web/dashboard/, which the server serves at
// /dashboard/assets/. Nothing is fetched at run time: the page loads only these files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, '..', '..', 'dist', 'web', 'dashboard');

const result = await build({
  entryPoints: { dashboard: path.join(here, 'main.ts'), 'dashboard-style': path.join(here, 'dashboard.css') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox111', 'safari16.4'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith('.map') && !file.endsWith('.txt'))
  .map(([file, output]) => `${path.basename(file)} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(`dashboard bundled into ${path.relative(process.cwd(), outdir)}: ${sizes.join(', ')}`);
