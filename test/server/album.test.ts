/**
 * The pet album (GET /api/v1/pets/:petId/album) on both dialects: paging through every page
 * with no duplicate and no gap while pictures are made between pages, ties on the ready
 * instant, hidden and unfinished pictures left out, the current picture marked, who may look
 * (owner, friend, not a stranger, not a banned owner's friends), and refused cursors and limits.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AlbumDto } from '../../shared/dto.js';
import type { NewImage } from '../../server/repositories/images-repository.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>').toString('base64');

describeEachDialect('pet album', (dialect) => {
  let s: TestServer;
  const ann = { id: 9_301_001, firstName: 'Ann' };
  const bob = { id: 9_301_002, firstName: 'Bob' };
  const eve = { id: 9_301_003, firstName: 'Eve' };
  let annId: string;
  let petId: string;
  /** Ready instants start well before the app's clock, so "now" is always newer. */
  let base: number;
  let seq = 0;

  const picture = (over: Partial<NewImage> = {}): NewImage => {
    seq++;
    const readyAt = base + seq * 1000;
    return {
      id: randomUUID(),
      pet_id: petId,
      owner_id: annId,
      stage: 0,
      variant: 0,
      skin: 'default',
      seed: seq,
      preset: 'fast',
      image_key: `album-test:${petId}:${seq}`,
      status: 'ready',
      reason: null,
      provider: seq % 3 === 0 ? 'procedural' : 'huggingface-primary',
      model: 'test',
      mime: 'image/svg+xml',
      size_bytes: 60,
      etag: `"e${seq}"`,
      image_b64: SVG,
      prompt: 'a pet',
      negative_prompt: 'nothing',
      requested_by: seq % 4 === 0 ? 'player' : 'system',
      created_at: readyAt - 500,
      updated_at: readyAt,
      completed_at: readyAt,
      ...over,
    };
  };
  const insert = async (rows: NewImage[]) => {
    await s.app.db.kysely.insertInto('pet_images').values(rows).execute();
  };
  const album = async (user: typeof ann, query = '') => s.api(user, 'GET', `/api/v1/pets/${petId}/album${query}`);

  before(async () => {
    s = await startTestServer({ dialect });
    base = s.now() - 10_000_000;
    petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Pixel', species: 'fox' })).body.id;
    annId = (await s.api(ann, 'GET', '/api/v1/me')).body.id;
    const code = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode;
    assert.equal((await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
    await s.api(eve, 'GET', '/api/v1/me');
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('is empty before the first picture, with the pet in the header', async () => {
    const res = await album(ann);
    assert.equal(res.status, 200);
    const body = res.body as AlbumDto;
    assert.deepEqual(body.items, []);
    assert.equal(body.total, 0);
    assert.equal(body.nextCursor, null);
    assert.deepEqual(
      { name: body.pet.name, species: body.pet.species, stage: body.pet.stage, skin: body.pet.skin, picture: body.pet.picture, ownerId: body.pet.ownerId },
      { name: 'Pixel', species: 'fox', stage: 'egg', skin: 'default', picture: null, ownerId: annId },
    );
    assert.ok(body.pet.ageSeconds >= 0);
    assert.ok(Number.isFinite(Date.parse(body.pet.bornAt)));
  });

  it('pages through every picture once, newest ready first, while new pictures are made between pages', async () => {
    // 23 pictures of every stage, form and coat; three share one ready instant (ties go by id).
    const rows: NewImage[] = [];
    for (let i = 0; i < 20; i++) rows.push(picture({ stage: i % 5, variant: i % 5 === 4 ? 1 + (i % 3) : 0, skin: i % 7 === 0 ? 'sakura' : 'default' }));
    const tie = base + 500_000;
    for (let i = 0; i < 3; i++) rows.push(picture({ completed_at: tie, updated_at: tie }));
    // Asked for long ago and still painting: it will be ready between pages.
    const late = picture({ status: 'running', completed_at: null, image_b64: null, created_at: base });
    await insert([...rows, late]);
    const expected = [...rows].sort((a, b) => Number(b.completed_at) - Number(a.completed_at) || (a.id < b.id ? 1 : -1)).map((r) => r.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let extra = 0;
    do {
      const res = await album(ann, `?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as AlbumDto;
      assert.ok(body.items.length <= 4);
      seen.push(...body.items.map((p) => p.id));
      cursor = body.nextCursor;
      pages++;
      // Between pages: a new picture is made, and the one that was painting finishes.
      extra++;
      const nowMs = s.now();
      await insert([picture({ completed_at: nowMs + extra, updated_at: nowMs + extra, created_at: nowMs })]);
      if (pages === 2) {
        await s.app.db.kysely.updateTable('pet_images').set({ status: 'ready', image_b64: SVG, completed_at: nowMs + 100 + extra }).where('id', '=', late.id).execute();
      }
    } while (cursor !== null && pages < 20);
    assert.equal(cursor, null, 'the last page says so');
    assert.equal(pages, Math.ceil(expected.length / 4));
    assert.equal(new Set(seen).size, seen.length, 'no picture twice');
    assert.deepEqual(seen, expected, 'every picture there when paging began, in order');

    // A fresh first page starts with what was made meanwhile.
    const fresh = (await album(ann, '?limit=50')).body as AlbumDto;
    assert.equal(fresh.total, expected.length + extra + 1);
    assert.equal(fresh.items.length, expected.length + extra + 1);
    for (let i = 1; i < fresh.items.length; i++) assert.ok(Date.parse(fresh.items[i - 1]!.readyAt) >= Date.parse(fresh.items[i]!.readyAt), 'newest ready first');
    assert.ok(fresh.items.slice(0, extra + 1).some((p) => p.id === late.id), 'the late picture is among the newest');
  });

  it('describes each picture: stage, form, coat, provider, dates, and which one is shown now', async () => {
    const body = (await album(ann, '?limit=50')).body as AlbumDto;
    const current = body.items.filter((p) => p.current);
    assert.equal(current.length, 1, 'one current picture');
    // The pet is an egg in its own coat: its newest ready egg picture in that coat.
    const eggs = body.items.filter((p) => p.stage === 'egg' && p.skin === 'default');
    assert.equal(current[0]?.id, eggs.sort((a, b) => Date.parse(b.readyAt) - Date.parse(a.readyAt))[0]?.id);
    assert.deepEqual(body.pet.picture, { id: current[0]?.id, url: `/api/v1/images/${current[0]?.id}` });
    const adult = body.items.find((p) => p.stage === 'adult');
    assert.ok(adult && adult.adultForm !== 'none');
    assert.ok(body.items.some((p) => p.skin === 'sakura'));
    assert.deepEqual(new Set(body.items.map((p) => p.provider)), new Set(['ai', 'procedural']));
    assert.ok(body.items.some((p) => p.regenerated) && body.items.some((p) => !p.regenerated));
    for (const p of body.items) {
      assert.equal(p.url, `/api/v1/images/${p.id}`);
      assert.ok(Date.parse(p.createdAt) <= Date.parse(p.readyAt));
    }
    // The URL serves the bytes.
    const bytes = await fetch(s.url + (current[0]?.url ?? ''));
    assert.equal(bytes.status, 200);
  });

  it('leaves out hidden pictures and those not ready, and a hidden current picture is no longer current', async () => {
    const before = (await album(ann, '?limit=50')).body as AlbumDto;
    const shown = before.pet.picture;
    assert.ok(shown);
    const failed = picture({ status: 'failed', completed_at: null, image_b64: null, reason: 'timeout' });
    const queued = picture({ status: 'queued', completed_at: null, image_b64: null });
    await insert([failed, queued]);
    await s.app.db.kysely.updateTable('pet_images').set({ hidden_at: s.now(), hidden_by: 'mod', hidden_reason: 'test' }).where('id', '=', shown.id).execute();
    const after = (await album(ann, '?limit=50')).body as AlbumDto;
    const ids = new Set(after.items.map((p) => p.id));
    assert.equal(ids.has(shown.id), false, 'hidden');
    assert.equal(ids.has(failed.id), false);
    assert.equal(ids.has(queued.id), false);
    assert.equal(after.total, before.total - 1);
    assert.notEqual(after.pet.picture?.id, shown.id);
    const friend = (await album(bob, '?limit=50')).body as AlbumDto;
    assert.equal(friend.items.some((p) => p.id === shown.id), false, 'hidden from friends too');
  });

  it("shows a friend the owner's album, refuses strangers and unknown pets", async () => {
    const own = (await album(ann, '?limit=5')).body as AlbumDto;
    const friend = await album(bob, '?limit=5');
    assert.equal(friend.status, 200);
    assert.deepEqual((friend.body as AlbumDto).items.map((p) => p.id), own.items.map((p) => p.id));
    const stranger = await album(eve);
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.error.code, 'FORBIDDEN');
    const missing = await s.api(ann, 'GET', '/api/v1/pets/no-such-pet/album');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'PET_NOT_FOUND');
    assert.equal((await s.api(null, 'GET', `/api/v1/pets/${petId}/album`)).status, 401);
  });

  it('refuses a cursor it did not give with 400 CURSOR_INVALID, and a bad limit with VALIDATION_FAILED', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of ['garbage!', 'abc', b64({ a: 1 }), b64([1, 2]), b64([-1, 'x']), b64([1.5, 'x']), b64(['1', 'x']), b64([1, 'a b']), b64([1, 'x', 3]), b64([1, '']), '%00']) {
      const res = await album(ann, `?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 400, cursor);
      assert.equal(res.body.error.code, 'CURSOR_INVALID', cursor);
    }
    // A well-formed cursor from the future or far past is just a position.
    assert.equal((await album(ann, `?cursor=${b64([0, 'x'])}`)).body.items.length, 0);
    for (const query of ['?limit=0', '?limit=51', '?limit=abc', '?limit=01', '?limit=-1', '?limit=2.5', '?other=1', `?cursor=${'a'.repeat(201)}`]) {
      const res = await album(ann, query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED', query);
    }
    const d = (await album(ann)).body as AlbumDto;
    assert.equal(d.items.length, 20, 'default page');
    assert.equal((await album(ann, '?limit=50')).body.items.length, Math.min(50, d.total));
  });

  it("hides a banned owner's album from friends (403), like the rest of the API", async () => {
    await s.app.db.kysely.updateTable('players').set({ banned_at: s.now() }).where('id', '=', annId).execute();
    try {
      const res = await album(bob);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'FORBIDDEN');
      assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${petId}`)).status, 403, 'the same answer as the pet itself');
    } finally {
      await s.app.db.kysely.updateTable('players').set({ banned_at: null }).where('id', '=', annId).execute();
    }
    assert.equal((await album(bob)).status, 200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await s.api(null, 'GET', '/openapi.json')).body;
    const op = doc.paths['/api/v1/pets/{petId}/album'].get;
    assert.ok(op.responses['200'] && op.responses['400'] && op.responses['403'] && op.responses['429']);
  });
});
