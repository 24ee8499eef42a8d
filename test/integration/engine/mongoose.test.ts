/**
 * Mongoose 9 through its own driver: Model.init (create + createIndexes), CRUD, lean,
 * findOneAndUpdate, countDocuments, a duplicate key as Mongoose surfaces it, syncIndexes.
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, uniqueDbName } from '../../helpers/database.js';

interface Customer {
  email: string;
  name: string;
  visits: number;
  tags: string[];
}

const customerSchema = new Schema<Customer>({
  email: { type: String, required: true, unique: true },
  name: { type: String, index: true },
  visits: { type: Number, default: 0 },
  tags: [String],
});

let connection: Connection;
const dbName = uniqueDbName('mongoose');

beforeAll(async () => {
  connection = await mongoose.createConnection(mongoUri(), { dbName, serverSelectionTimeoutMS: 5000, autoIndex: false }).asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('Mongoose 9', () => {
  it('Model.init creates the collection and the schema indexes', async () => {
    const Customer = connection.model<Customer>('Customer', customerSchema);
    await Customer.init();
    await Customer.createIndexes();
    const indexes = await Customer.collection.indexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_1', 'name_1']);
    expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ unique: true });
    // Again: every command is idempotent (create answers ok or 48, which Mongoose swallows).
    await Customer.init();
  });

  it('create, find, lean, updateOne, findOneAndUpdate, countDocuments, deleteMany', async () => {
    const Customer = connection.model<Customer>('Customer');
    const ana = await Customer.create({ email: 'ana@x', name: 'Ana', tags: ['vip'] });
    expect(ana._id).toBeInstanceOf(mongoose.Types.ObjectId);
    await Customer.insertMany([
      { email: 'bia@x', name: 'Bia' },
      { email: 'caio@x', name: 'Caio', visits: 3 },
    ]);

    const found = await Customer.find({ visits: { $gte: 0 } }).sort({ email: 1 });
    expect(found.map((c) => c.email)).toEqual(['ana@x', 'bia@x', 'caio@x']);
    expect(found[0]).toBeInstanceOf(Customer);

    const lean = await Customer.findOne({ email: 'caio@x' }).lean();
    expect(lean).toMatchObject({ email: 'caio@x', name: 'Caio', visits: 3, tags: [] });
    expect(lean).not.toBeInstanceOf(Customer);
    expect(await Customer.findById(ana._id).lean()).toMatchObject({ email: 'ana@x' });
    expect(await Customer.exists({ email: 'bia@x' })).toMatchObject({ _id: expect.any(mongoose.Types.ObjectId) });

    const updated = await Customer.updateOne({ email: 'bia@x' }, { $inc: { visits: 2 }, $push: { tags: 'new' } });
    expect(updated).toMatchObject({ acknowledged: true, matchedCount: 1, modifiedCount: 1 });

    const after = await Customer.findOneAndUpdate({ email: 'bia@x' }, { $set: { name: 'Beatriz' } }, { returnDocument: 'after' });
    expect(after).toMatchObject({ name: 'Beatriz', visits: 2, tags: ['new'] });
    const upserted = await Customer.findOneAndUpdate({ email: 'dani@x' }, { $set: { name: 'Dani' } }, { upsert: true, returnDocument: 'after' });
    expect(upserted).toMatchObject({ email: 'dani@x', name: 'Dani', visits: 0 });

    ana.visits = 10;
    await ana.save();
    expect(await Customer.findById(ana._id).lean()).toMatchObject({ visits: 10 });

    expect(await Customer.countDocuments()).toBe(4);
    expect(await Customer.countDocuments({ visits: { $gt: 1 } })).toBe(3);
    expect(await Customer.estimatedDocumentCount()).toBe(4);
    expect((await Customer.distinct('name')).sort()).toEqual(['Ana', 'Beatriz', 'Caio', 'Dani']);

    const agg = await Customer.aggregate<{ _id: null; total: number }>([{ $group: { _id: null, total: { $sum: '$visits' } } }]);
    expect(agg).toEqual([{ _id: null, total: 15 }]);

    expect(await Customer.deleteMany({ visits: { $lt: 5 } })).toMatchObject({ deletedCount: 3 });
    expect(await Customer.countDocuments()).toBe(1);
    expect(await Customer.findOneAndDelete({ email: 'ana@x' })).toMatchObject({ email: 'ana@x' });
  });

  it('a duplicate key reaches the app as E11000 (code 11000, keyPattern, keyValue)', async () => {
    const Customer = connection.model<Customer>('Customer');
    await Customer.create({ email: 'dup@x', name: 'First' });
    const error = await Customer.create({ email: 'dup@x', name: 'Second' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'dup@x' } });
    expect((error as Error).message).toMatch(/E11000 duplicate key error/);

    const bulk = await Customer.insertMany(
      [
        { email: 'n1@x', name: 'n1' },
        { email: 'dup@x', name: 'again' },
        { email: 'n2@x', name: 'n2' },
      ],
      { ordered: false },
    ).catch((e: unknown) => e);
    expect(bulk).toMatchObject({ code: 11000 });
    expect(await Customer.countDocuments({ email: { $in: ['n1@x', 'n2@x'] } })).toBe(2);
  });

  it('syncIndexes creates missing indexes and drops the ones the schema no longer has', async () => {
    const Customer = connection.model<Customer>('Customer');
    await Customer.collection.createIndex({ visits: 1 });
    const schema = customerSchema.clone();
    schema.index({ tags: 1 });
    const Synced = connection.model<Customer>('CustomerSynced', schema, Customer.collection.collectionName);
    const dropped = await Synced.syncIndexes();
    expect(dropped).toEqual(['visits_1']);
    expect((await Synced.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'email_1', 'name_1', 'tags_1']);
    expect(await Synced.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });
  });

  it('syncIndexes on a model whose collection does not exist yet', async () => {
    const Fresh = connection.model('FreshThing', new Schema({ code: { type: String, unique: true } }));
    expect(await Fresh.syncIndexes()).toEqual([]);
    expect((await Fresh.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'code_1']);
  });
});
