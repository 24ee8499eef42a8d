/**
 * One database server for the whole run: MONGODB_URI when set (a real MongoDB), otherwise an
 * embedded engine started here. Test files get its address with `inject('mongoUri')` and use
 * a database of their own, so they can run in parallel.
 */
import type { TestProject } from 'vitest/node';
import { startEngine, type EmbeddedEngine } from '../src/db/embedded/in-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    /** 'embedded' when the suite runs against the engine it started, 'external' for MONGODB_URI. */
    backend: 'embedded' | 'external';
  }
}

let engine: EmbeddedEngine | undefined;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env.MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    project.provide('backend', 'external');
    return;
  }
  engine = await startEngine();
  project.provide('mongoUri', engine.uri);
  project.provide('backend', 'embedded');
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}
