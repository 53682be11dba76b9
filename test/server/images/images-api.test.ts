import assert from 'node:assert/strict';
import { STAGE_DURATION_S } from '../../../shared/balance.js';
import { describeEachDialect } from '../../helpers/dialects.js';
import { startFakeHf, type FakeHf } from '../../helpers/fake-hf.js';
import { joinHome, petView, waitFor } from '../../helpers/rooms.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describeEachDialect('pet images (procedural, in-process queue)', (dialect) => {
  let s: TestServer;
  const ann = { id: 8001, firstName: 'Ann' };
  const bob = { id: 8002, firstName: 'Bob' };
  const eve = { id: 8003, firstName: 'Eve' };
  let petId: string;
  let firstUrl: string;

  before(async () => {
    s = await startTestServer({ dialect, env: { IMAGE_DAILY_BUDGET: '2', ADMIN_PASSWORD: 'pw', JWT_SECRET: 'k'.repeat(40), IMAGE_PRESET: 'fast' } });
    petId = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Pixel', species: 'cat' })).body.id;
    const code = (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: code });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it("makes the current stage's picture when the home opens and shows it in the room", async () => {
    const room = await joinHome(s, ann);
    const pet = await waitFor(() => petView(room, petId)?.imageStatus === 'ready' && petView(room, petId), 'the egg picture');
    assert.match(pet.imageUrl, /^\/api\/v1\/images\/[0-9a-f-]{36}$/);
    firstUrl = pet.imageUrl;
    await room.leave();
  });

  it('serves the bytes with an ETag, immutable caching and 304 on If-None-Match', async () => {
    const res = await fetch(s.url + firstUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const body = await res.text();
    assert.ok(body.startsWith('<svg') || body.startsWith('<?xml'));
    const again = await fetch(s.url + firstUrl, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const missing = await fetch(`${s.url}/api/v1/images/00000000-0000-0000-0000-000000000000`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as any).error.code, 'IMAGE_NOT_FOUND');
  });

  it('lists images with status and metadata, for the owner and friends only', async () => {
    const list = (await s.api(ann, 'GET', `/api/v1/pets/${petId}/images`)).body.items;
    assert.equal(list.length, 1);
    const image = list[0];
    assert.deepEqual(
      { stage: image.stage, status: image.status, provider: image.provider, mime: image.mime, requestedBy: image.requestedBy, preset: image.preset },
      { stage: 'egg', status: 'ready', provider: 'procedural', mime: 'image/svg+xml', requestedBy: 'system', preset: 'fast' },
    );
    assert.ok(image.prompt.includes('egg'));
    assert.ok(image.negativePrompt.length > 0);
    assert.ok(image.sizeBytes > 0);
    assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${petId}/images`)).status, 200);
    assert.equal((await s.api(eve, 'GET', `/api/v1/pets/${petId}/images`)).body.error.code, 'FORBIDDEN');
  });

  it("returns the current stage's picture and 404 for a stage without one", async () => {
    const current = (await s.api(ann, 'GET', `/api/v1/pets/${petId}/images/current`)).body;
    assert.equal(current.url, firstUrl);
    const adult = await s.api(ann, 'GET', `/api/v1/pets/${petId}/images/current?stage=adult`);
    assert.equal(adult.status, 404);
    assert.equal(adult.body.error.code, 'IMAGE_NOT_FOUND');
  });

  it('re-runs a stored seed to the same image and regenerates a new one with a fresh seed', async () => {
    const first = (await s.api(ann, 'GET', `/api/v1/pets/${petId}/images/current`)).body;
    const rerun = await s.api(ann, 'POST', `/api/v1/pets/${petId}/images/rerun`, { seed: first.seed });
    assert.equal(rerun.status, 202);
    assert.equal(rerun.body.id, first.id, 'same seed, same image');
    const fresh = await s.api(ann, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {});
    assert.equal(fresh.status, 202);
    assert.notEqual(fresh.body.seed, first.seed);
    const ready = await waitFor(async () => {
      const items = (await s.api(ann, 'GET', `/api/v1/pets/${petId}/images`)).body.items;
      return items.find((i: any) => i.id === fresh.body.id && i.status === 'ready');
    }, 'the regenerated image');
    const [a, b] = await Promise.all([fetch(s.url + first.url).then((r) => r.text()), fetch(s.url + ready.url).then((r) => r.text())]);
    assert.notEqual(a, b, 'another seed draws another picture');
    assert.equal((await s.api(ann, 'GET', `/api/v1/pets/${petId}/images/current`)).body.id, ready.id, 'the newest ready image is current');
  });

  it('limits player requests per day with RATE_LIMITED and the time to wait', async () => {
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {})).status, 202);
    const over = await s.api(ann, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {});
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
    assert.ok(over.body.error.retryAfterSeconds > 0 && over.body.error.retryAfterSeconds <= 86400);
    assert.equal((await s.api(bob, 'POST', `/api/v1/pets/${petId}/images/regenerate`, {})).body.error.code, 'FORBIDDEN');
    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${petId}/images/regenerate`, { stage: 'adult' })).body.error.code, 'VALIDATION_FAILED', 'not grown up yet');
  });

  it('records every attempt as an experiment that admins can query', async () => {
    const token = (await s.api(null, 'POST', '/admin/login', { password: 'pw' })).body.token;
    const current = (await s.api(ann, 'GET', `/api/v1/pets/${petId}/images/current`)).body;
    const res = await fetch(`${s.url}/admin/images/experiments?imageId=${current.id}`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await res.json()) as any).items;
    assert.equal(items.length, 1);
    assert.deepEqual(
      { provider: items[0].provider, outcome: items[0].outcome, seed: items[0].seed, preset: items[0].preset },
      { provider: 'procedural', outcome: 'ok', seed: current.seed, preset: 'fast' },
    );
    assert.equal(items[0].prompt, current.prompt);
  });
});

describe('pet images: pre-generation and stage changes', () => {
  it("has the next stage's picture ready before the pet grows, and shows it at once", async function () {
    this.timeout(60_000);
    // 30 game seconds per real second: the egg (300 s) hatches in 10 real seconds.
    const s = await startTestServer({ env: { SIM_TIME_SCALE: '30' } });
    try {
      const user = { id: 8100 };
      const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Soon', species: 'bunny' })).body;
      const room = await joinHome(s, user);
      await waitFor(() => petView(room, pet.id)?.imageStatus === 'ready', 'egg picture');
      const eggUrl = petView(room, pet.id).imageUrl as string;
      await waitFor(() => (s.app.sim.live(pet.id)?.stats.stageSeconds ?? 0) >= 0.7 * (STAGE_DURATION_S[0] ?? 0), '70% of the egg stage', 20_000);
      assert.equal(await s.app.images.pregenerate(), 1);
      const baby = await waitFor(async () => {
        const items = (await s.api(user, 'GET', `/api/v1/pets/${pet.id}/images`)).body.items;
        return items.find((i: any) => i.stage === 'baby' && i.status === 'ready');
      }, 'the baby picture, made ahead');
      assert.equal(petView(room, pet.id).stage, 'egg', 'made before the pet grew');
      assert.equal(await s.app.images.pregenerate(), 0, 'asked once');
      await waitFor(() => petView(room, pet.id)?.stage === 'baby', 'hatching', 20_000);
      await waitFor(() => petView(room, pet.id).imageUrl === baby.url, 'the baby picture in the room');
      assert.notEqual(baby.url, eggUrl);
      await room.leave();
    } finally {
      await s.stop({ dropDatabase: true });
    }
  });
});

describe('pet images from Hugging Face through the app', () => {
  let fake: FakeHf;
  before(async () => {
    fake = await startFakeHf();
  });
  after(async () => {
    await fake.close();
  });

  it('uses the primary model, retrying a 503, and records both attempts', async () => {
    fake.script('org/primary', ['503'], 'ok');
    const s = await startTestServer({
      env: {
        HF_TOKEN: 'hf_test_token',
        HF_MODEL: 'org/primary',
        HF_FALLBACK_MODEL: 'org/fallback',
        HF_ENDPOINT_URL: fake.endpointTemplate,
        IMAGE_PROVIDER_BACKOFF_MS: '10',
        ADMIN_PASSWORD: 'pw',
        JWT_SECRET: 'k'.repeat(40),
      },
    });
    try {
      const user = { id: 8200 };
      const pet = (await s.api(user, 'POST', '/api/v1/pets', { name: 'Photo', species: 'dog' })).body;
      const room = await joinHome(s, user);
      await waitFor(() => petView(room, pet.id)?.imageStatus === 'ready', 'the picture');
      const image = (await s.api(user, 'GET', `/api/v1/pets/${pet.id}/images/current`)).body;
      assert.equal(image.provider, 'huggingface-primary');
      assert.equal(image.model, 'org/primary');
      assert.equal(image.mime, 'image/png');
      const bytes = Buffer.from(await (await fetch(s.url + image.url)).arrayBuffer());
      assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
      const token = (await s.api(null, 'POST', '/admin/login', { password: 'pw' })).body.token;
      const experiments = ((await (await fetch(`${s.url}/admin/images/experiments?imageId=${image.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any).items;
      assert.deepEqual(experiments.map((e: any) => `${e.model}:${e.outcome}`).reverse(), ['org/primary:http_5xx', 'org/primary:ok']);
      assert.ok(fake.requests.every((r) => r.inputs === image.prompt && r.parameters.seed === image.seed));
      await room.leave();
    } finally {
      await s.stop({ dropDatabase: true });
    }
  });
});
