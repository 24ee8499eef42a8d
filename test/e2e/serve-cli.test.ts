/**
 * `datadragon serve` as a user runs it (the built CLI): startup lines, the auth rule at
 * startup, and a graceful stop on SIGTERM with a seed running (HTTP drained, the job
 * cancelled, its lock released, the process exits 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';
import { SeedDatabaseDocument, SeedJobDocument } from '../helpers/generated/graphql.js';
import { dataOf, post, until } from '../helpers/graphql.js';

let client: MongoClient;
beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
});
afterAll(async () => {
  await client.close();
});

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function serve(env: NodeJS.ProcessEnv): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /GraphQL API at (http:\/\/\S+)/.exec(output);
      if (match && /admin mutations/.test(output)) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

describe('datadragon serve', () => {
  it('refuses a non-loopback address without ADMIN_TOKEN, before starting any database', async () => {
    const result = await runCli(['serve'], { env: { HOST: '0.0.0.0', ADMIN_TOKEN: '', MONGODB_URI: uriWithDb(uniqueDbName('serve_refused')) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without an admin token/);
    expect(result.stderr).not.toMatch(/database:/);
  });

  it('refuses a short ADMIN_TOKEN', async () => {
    const result = await runCli(['serve'], { env: { ADMIN_TOKEN: 'abc', MONGODB_URI: uriWithDb(uniqueDbName('serve_short')) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ADMIN_TOKEN: the admin token must be at least 16 characters/);
  });

  it('says where it listens and who may run admin mutations; stops cleanly on SIGTERM with a seed running', async () => {
    const dbName = uniqueDbName('serve_cli');
    const server = await serve({ MONGODB_URI: uriWithDb(dbName), ADMIN_TOKEN: '' });
    try {
      expect(server.output()).toMatch(/database: MongoDB at/);
      expect(server.output()).toMatch(/playground at http:\/\/127\.0\.0\.1:\d+\/playground/);
      expect(server.output()).toMatch(/dashboard at http:\/\/127\.0\.0\.1:\d+\/dashboard/);
      expect(server.output()).toMatch(/admin mutations are open to anyone on this machine/);
      const job = dataOf(await post(server.url, SeedDatabaseDocument, { input: { users: 100_000, seed: 3, workers: 2 } })).seedDatabase;
      await until(
        'the activity phase',
        async () => dataOf(await post(server.url, SeedJobDocument, { id: job.id })).seedJob!,
        (j) => j.status !== 'RUNNING' || (j.phase === 'ACTIVITY' && j.written.users > 0),
        60_000,
        20,
      );
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/SIGTERM: stopping/);
      expect(server.output()).toMatch(/stopped\./);
      const db = client.db(dbName);
      expect(await db.collection('datadragon_jobs').countDocuments()).toBe(0);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names).not.toContain('activity');
      await db.dropDatabase();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('with ADMIN_TOKEN, says that admin mutations need it', async () => {
    const server = await serve({ MONGODB_URI: uriWithDb(uniqueDbName('serve_token')), ADMIN_TOKEN: 'a-long-enough-admin-token-1234' });
    try {
      expect(server.output()).toMatch(/admin mutations need "Authorization: Bearer \$ADMIN_TOKEN"/);
      const refused = await post(server.url, SeedDatabaseDocument, { input: { users: 10 } });
      expect(refused.status).toBe(401);
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it("Ctrl-C under npm start (two SIGINTs at once: the terminal's and the one npm forwards) drains and exits 0", async () => {
    const server = await serve({ MONGODB_URI: uriWithDb(uniqueDbName('serve_npm_ctrl_c')), ADMIN_TOKEN: '' });
    try {
      server.child.kill('SIGINT');
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/SIGINT: stopping \(draining requests, stopping jobs, flushing the database; Ctrl-C again to stop at once\)/);
      expect(server.output()).toMatch(/stopped\./);
      expect(server.output()).not.toMatch(/again: stopping at once/);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });
});
