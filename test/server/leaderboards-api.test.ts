import assert from 'node:assert/strict';
import { LEADERBOARD_IDS } from '../../shared/leaderboards.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('leaderboards (REST)', (dialect) => {
  let s: TestServer;
  const anna = { id: 9_200_001, firstName: 'Anna', username: 'anna_pets' };
  const boris = { id: 9_200_002, firstName: 'Boris' };

  before(async () => {
    s = await startTestServer({ dialect });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('lists the boards with their periods', async () => {
    const res = await s.api(anna, 'GET', '/api/v1/leaderboards');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.boards.map((b: { id: string }) => b.id), [...LEADERBOARD_IDS]);
    assert.deepEqual(res.body.boards.find((b: { id: string }) => b.id === 'pet_age').periods, ['all']);
    assert.ok(Date.parse(res.body.weekEndsAt) > s.now());
  });

  it('puts an adoption on the pet age board through the event log, with names', async () => {
    assert.equal((await s.api(anna, 'POST', '/api/v1/pets', { name: 'Mochi' })).status, 201);
    await s.api(boris, 'GET', '/api/v1/me');
    const board = await waitFor(async () => {
      const res = await s.api(anna, 'GET', '/api/v1/leaderboards/pet_age');
      // The page and my rank are separate reads: wait for both to see the adoption.
      return res.status === 200 && res.body.me && res.body.entries.length > 0 ? res.body : null;
    }, 'Anna on the pet age board');
    assert.deepEqual(board.me, { rank: 1, score: 0 });
    assert.equal(board.unit, 'days');
    assert.deepEqual(board.entries.map((e: Record<string, unknown>) => [e.displayName, e.username, e.petName, e.isMe]), [['Anna', 'anna_pets', 'Mochi', true]]);
    const paged = await s.api(anna, 'GET', '/api/v1/leaderboards/pet_age?period=all&scope=global&limit=100&offset=0');
    assert.equal(paged.status, 200);
    assert.equal(paged.body.entries.length, 1);
    const past = await s.api(anna, 'GET', '/api/v1/leaderboards/pet_age?limit=1&offset=1');
    assert.deepEqual([past.body.entries.length, past.body.me.rank, past.body.total], [0, 1, 1]);
    const other = await s.api(boris, 'GET', '/api/v1/leaderboards/pet_age?scope=friends');
    assert.equal(other.status, 200);
    assert.deepEqual(other.body.entries, []);
    assert.equal(other.body.me, null);
  });

  it('refuses a board, period, scope or page it does not have with 400 VALIDATION_FAILED', async () => {
    for (const path of [
      '/api/v1/leaderboards/nope',
      '/api/v1/leaderboards/streak?period=daily',
      '/api/v1/leaderboards/streak?scope=everyone',
      '/api/v1/leaderboards/streak?limit=101',
      '/api/v1/leaderboards/streak?limit=0',
      '/api/v1/leaderboards/streak?offset=-1',
      '/api/v1/leaderboards/streak?offset=10001',
      '/api/v1/leaderboards/streak?limit=1.5',
      '/api/v1/leaderboards/streak?offset=01',
      '/api/v1/leaderboards/streak?other=1',
      '/api/v1/leaderboards/pet_age?period=weekly',
    ]) {
      const res = await s.api(anna, 'GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED', path);
    }
    assert.equal((await s.api(null, 'GET', '/api/v1/leaderboards/streak')).status, 401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await s.api(null, 'GET', '/openapi.json')).body;
    assert.ok(doc.paths['/api/v1/leaderboards']);
    assert.ok(doc.paths['/api/v1/leaderboards/{board}'].get.responses['429']);
  });
});
