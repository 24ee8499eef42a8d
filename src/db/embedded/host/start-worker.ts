/**
 * Starts a worker thread on one of the engine's modules, named without extension relative to
 * the caller's module. From compiled JavaScript that is a plain Worker; from TypeScript sources
 * (the test suite runs them) the worker first registers tsx's loader, so the tests exercise
 * the same threads as the built app.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(module: string, callerUrl: string, options: WorkerOptions = {}): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const entry = new URL(`${module}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(entry, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
