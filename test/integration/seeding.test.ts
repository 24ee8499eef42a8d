/**
 * Seeding end to end through the seed job (forked workers, the split, indexes, the swap),
 * checked against the invariants of docs/DATA-MODEL.md §1, the distributions of §6, determinism and reset.
 */
import { execFileSync } from 'node:child_process';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { acquireJobLock, JobConflictError, resetDatabase } from '../../src/jobs/index.js';
import { catalogueOf, generateActivity, parseSeedOptions, WorkerFailedError } from '../../src/seeding/index.js';
import { allDocs, collectionHash, databaseHash, openServiceDatabase, seed } from '../helpers/seeded.js';

interface User {
  _id: unknown;
  customer_id: string;
  email: string;
  details: { first_name: string; last_name: string; full_name: null };
}
interface Cart {
  _id: { toHexString(): string };
  customer_id: string;
  products: { product_id: string; price: number; quantity: number }[];
  amount: number;
}
interface Order {
  _id: unknown;
  customer_id: string;
  cart_id: string;
  created_at: Date;
}
interface Product {
  _id: { toHexString(): string };
  title: string;
  categories: string[];
  price: number;
}

const cents = (x: number): number => Math.round(x * 100);

describe('a seeded database', () => {
  let database: Database;
  let users: User[];
  let carts: Cart[];
  let orders: Order[];
  let products: Product[];
  const MAX_ORDERS = 6;

  beforeAll(async () => {
    database = await openServiceDatabase('seed_invariants');
    const summary = await seed(database, { users: 3000, maxOrders: MAX_ORDERS, seed: 11, workers: 2, products: 300 });
    expect(summary.counts.users).toBe(3000);
    users = await allDocs<User>(database.db, 'users');
    carts = await allDocs<Cart>(database.db, 'carts');
    orders = await allDocs<Order>(database.db, 'orders');
    products = await allDocs<Product>(database.db, 'products');
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('has the shapes of docs/DATA-MODEL.md §1 and reports its counts', async () => {
    expect(products).toHaveLength(300);
    expect(Object.keys(users[0]!)).toEqual(['_id', 'customer_id', 'email', 'details']);
    expect(users[0]!.details.full_name).toBeNull();
    expect(Object.keys(carts[0]!)).toEqual(['_id', 'customer_id', 'products', 'amount']);
    expect(Object.keys(orders[0]!)).toEqual(['_id', 'customer_id', 'cart_id', 'created_at']);
    expect(orders[0]!.created_at).toBeInstanceOf(Date);
    expect(await database.db.listCollections({ name: 'activity' }).toArray()).toHaveLength(0);
  });

  it('resolves every reference', () => {
    const customerIds = new Set(users.map((u) => u.customer_id));
    const cartById = new Map(carts.map((c) => [c._id.toHexString(), c]));
    const productIds = new Set(products.map((p) => p._id.toHexString()));
    for (const cart of carts) {
      expect(customerIds.has(cart.customer_id)).toBe(true);
      for (const line of cart.products) expect(productIds.has(line.product_id)).toBe(true);
    }
    for (const order of orders) {
      expect(customerIds.has(order.customer_id)).toBe(true);
      const cart = cartById.get(order.cart_id);
      expect(cart).toBeDefined();
      // a cart and its order share the customer
      expect(cart!.customer_id).toBe(order.customer_id);
    }
  });

  it('prices carts to the cent, at catalogue prices', () => {
    const price = new Map(products.map((p) => [p._id.toHexString(), p.price]));
    for (const cart of carts) {
      expect(cart.products.length).toBeGreaterThanOrEqual(1);
      expect(cart.products.length).toBeLessThanOrEqual(5);
      let total = 0;
      for (const line of cart.products) {
        expect(line.price).toBe(price.get(line.product_id));
        total += cents(line.price) * line.quantity;
      }
      expect(cents(cart.amount)).toBe(total);
      expect(cart.amount).toBe(total / 100);
    }
  });

  it('gives no cart two orders, no customer more than maxOrders, and unique ids and emails', () => {
    expect(new Set(orders.map((o) => o.cart_id)).size).toBe(orders.length);
    const perCustomer = new Map<string, number>();
    for (const order of orders) perCustomer.set(order.customer_id, (perCustomer.get(order.customer_id) ?? 0) + 1);
    expect(Math.max(...perCustomer.values())).toBeLessThanOrEqual(MAX_ORDERS);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.customer_id)).size).toBe(users.length);
  });

  it('looks like a store: light and heavy buyers, abandoned carts, a November/December peak', () => {
    const perCustomer = new Map<string, number>();
    for (const order of orders) perCustomer.set(order.customer_id, (perCustomer.get(order.customer_id) ?? 0) + 1);
    const withoutOrders = users.length - perCustomer.size;
    expect(withoutOrders / users.length).toBeGreaterThan(0.05);
    const counts = [...perCustomer.values()];
    const light = counts.filter((n) => n <= 2).length;
    const heavy = counts.filter((n) => n >= MAX_ORDERS - 1).length;
    expect(light).toBeGreaterThan(heavy * 3);
    expect(heavy).toBeGreaterThan(0);
    expect(carts.length - orders.length).toBeGreaterThan(carts.length * 0.1);
    const perMonth = new Array<number>(12).fill(0);
    for (const order of orders) {
      expect(order.created_at.getUTCFullYear()).toBe(2025);
      perMonth[order.created_at.getUTCMonth()]!++;
    }
    const mean = orders.length / 12;
    expect(perMonth[10]!).toBeGreaterThan(mean * 1.2);
    expect(perMonth[11]!).toBeGreaterThan(mean * 1.2);
  });

  it('builds the indexes of the models', async () => {
    const names = async (c: string): Promise<string[]> => (await database.db.collection(c).indexes()).map((i) => i.name!);
    expect(await names('users')).toEqual(expect.arrayContaining(['customer_id_1', 'email_1']));
    expect(await names('orders')).toEqual(expect.arrayContaining(['customer_id_1', 'cart_id_1', 'created_at_1']));
    expect(await names('carts')).toEqual(expect.arrayContaining(['customer_id_1']));
  });
});

describe('determinism', () => {
  it('gives byte-identical collections with 1, 2 and 3 workers for the same seed', async () => {
    const hashes: Record<string, string>[] = [];
    for (const workers of [1, 2, 3]) {
      const database = await openServiceDatabase(`seed_det_${workers}`);
      try {
        await seed(database, { users: 2500, seed: 424242, workers, products: 120 });
        const entry: Record<string, string> = {};
        for (const name of ['users', 'products', 'carts', 'orders']) entry[name] = await collectionHash(database.db, name);
        hashes.push(entry);
      } finally {
        await database.db.dropDatabase();
        await database.close();
      }
    }
    expect(hashes[1]).toEqual(hashes[0]);
    expect(hashes[2]).toEqual(hashes[0]);
  });

  it('gives different data for a different seed', async () => {
    const database = await openServiceDatabase('seed_det_other');
    try {
      await seed(database, { users: 300, seed: 1, workers: 1, products: 50 });
      const a = await collectionHash(database.db, 'users');
      await seed(database, { users: 300, seed: 2, workers: 1, products: 50 });
      expect(await collectionHash(database.db, 'users')).not.toBe(a);
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });
});

describe('reset and failures', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('seed_reset');
  });
  afterAll(async () => {
    await database.db.dropDatabase().catch(() => undefined);
    await database.close();
  });

  it('empties every datadragon collection and keeps the indexes', async () => {
    await seed(database, { users: 200, seed: 5, workers: 1, products: 30 });
    const before = (await database.db.collection('users').indexes()).map((i) => i.name);
    const result = await resetDatabase(database);
    expect(result.deleted).toMatchObject({ users: 200, products: 30 });
    for (const name of ['users', 'products', 'carts', 'orders']) expect(await database.db.collection(name).countDocuments()).toBe(0);
    expect((await database.db.collection('users').indexes()).map((i) => i.name)).toEqual(before);
  });

  it('is refused while a seed runs', async () => {
    const lock = await acquireJobLock(database.db, 'seed');
    try {
      await expect(resetDatabase(database)).rejects.toBeInstanceOf(JobConflictError);
      await expect(seed(database, { users: 10, seed: 1, workers: 1 })).rejects.toThrow(/a seed is running/);
    } finally {
      await lock.release();
    }
  });

  it('stops the activity step when a worker is killed, killing the others, with a clear error', async () => {
    const pids: number[] = [];
    const plan = parseSeedOptions({ users: 400_000, seed: 3, workers: 2, products: 20, year: 2025 });
    let killed = false;
    const run = generateActivity(database, plan, catalogueOf(plan), 'activity_of_a_killed_seed', {
      onWorkerStarted: (pid) => pids.push(pid),
      onWritten: () => {
        if (!killed && pids.length > 0) {
          killed = true;
          process.kill(pids[0]!, 'SIGKILL');
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(WorkerFailedError);
    await expect(run).rejects.toThrow(/died \(signal SIGKILL\)/);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await database.db.collection('activity_of_a_killed_seed').drop();
  });

  it('fails the seed job when a worker dies, leaving every collection as it was and no staging behind', async () => {
    await seed(database, { users: 100, seed: 9, workers: 1, products: 20 });
    const previous = await databaseHash(database.db);
    const run = seed(
      database,
      { users: 400_000, seed: 3, workers: 2, products: 20 },
      {
        onProgress: (p) => {
          if (p.phase !== 'activity' || p.written.users === 0) return;
          // The seed job's workers are this process's children.
          const children = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
            .split('\n')
            .filter(Boolean)
            .map(Number);
          for (const pid of children) process.kill(pid, 'SIGKILL');
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(WorkerFailedError);
    expect(await databaseHash(database.db)).toEqual(previous);
    // and the lock is free again
    await resetDatabase(database);
  });

  it('drops the database with drop: true', async () => {
    await seed(database, { users: 50, seed: 2, workers: 1, products: 10 });
    expect((await resetDatabase(database, { drop: true })).dropped).toBe(true);
    const names = (await database.db.listCollections({}, { nameOnly: true }).toArray()).map((c: Document) => c.name);
    expect(names).not.toContain('users');
  });
});
