import assert from 'node:assert/strict';
import { IndexedLocalDriver } from '../../../server/rooms/local-driver.js';

function listed(driver: IndexedLocalDriver, values: Record<string, unknown>) {
  const listing = driver.createInstance({ name: 'home', processId: 'p1', ...values });
  listing.save();
  return listing;
}

describe('indexed local driver', () => {
  it('finds a home by its owner and a room by its id, with the other conditions still checked', async () => {
    const driver = new IndexedLocalDriver();
    const a = listed(driver, { roomId: 'r1', ownerId: 'alice' });
    listed(driver, { roomId: 'r2', ownerId: 'bob' });
    assert.equal(await driver.findOne({ name: 'home', locked: false, private: false, ownerId: 'alice' }), a);
    assert.equal(await driver.findOne({ roomId: 'r1' }), a);
    assert.equal(driver.has('r2'), true);
    a.updateOne({ $set: { locked: true }, $inc: { clients: 2 } });
    assert.equal(a.clients, 2);
    assert.equal(await driver.findOne({ name: 'home', locked: false, ownerId: 'alice' }), undefined);
    assert.equal(await driver.findOne({ roomId: 'r1', name: 'other' }), undefined);
    assert.equal(await driver.findOne({ name: 'home', ownerId: 'carol' }), undefined);
  });

  it('forgets a removed listing in every index; saving twice lists it once', async () => {
    const driver = new IndexedLocalDriver();
    const a = listed(driver, { roomId: 'r1', ownerId: 'alice' });
    a.save();
    assert.equal(driver.size, 1);
    a.remove();
    a.remove();
    assert.equal(driver.size, 0);
    assert.equal(driver.has('r1'), false);
    assert.equal(await driver.findOne({ name: 'home', ownerId: 'alice' }), undefined);
    // A new home of the same owner is found once the old one is gone.
    const b = listed(driver, { roomId: 'r3', ownerId: 'alice' });
    assert.equal(await driver.findOne({ name: 'home', ownerId: 'alice' }), b);
  });

  it('answers other queries by scanning, sorted as asked, and cleans up a process\'s listings', async () => {
    const driver = new IndexedLocalDriver();
    listed(driver, { roomId: 'r1', ownerId: 'a', clients: 1 });
    listed(driver, { roomId: 'r2', ownerId: 'b', clients: 3, processId: 'p2' });
    listed(driver, { roomId: 'r3', ownerId: 'c', clients: 2 });
    assert.deepEqual(driver.query({ name: 'home' }, { clients: -1 }).map((l) => l.roomId), ['r2', 'r3', 'r1']);
    assert.deepEqual(driver.query({ processId: 'p1' }, { clients: 'asc' }).map((l) => l.roomId), ['r1', 'r3']);
    assert.equal((await driver.findOne({ name: 'home' }, { clients: 'descending' })).roomId, 'r2');
    await driver.cleanup('p1');
    assert.deepEqual(driver.query({}).map((l) => l.roomId), ['r2']);
    // The driver is not enumerable on a listing: listings go out as they are.
    assert.deepEqual(Object.keys(driver.query({})[0] ?? {}).includes('$driver'), false);
    driver.clear();
    assert.equal(driver.size, 0);
  });
});
