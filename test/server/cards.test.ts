/**
 * Share cards, share links and the public share page (ADR 0018): PNG sizes, determinism,
 * content-hash URLs (immutable, ETag, 304, redirects), banned owners and hidden pictures,
 * the page's tags and what it must not show, owner-only share info, share codes given once
 * under concurrency, and prepared messages through the fake Bot API.
 */
import assert from 'node:assert/strict';
import { FakeBotApi } from '../../dev/fake-telegram/fake-bot-api.js';
import { RenderPool, renderPng } from '../../server/cards/card-renderer.js';
import { CARD_SIZE, cardSvg, fitLine, fitName } from '../../server/cards/card-svg.js';
import { languageFromHeader } from '../../server/cards/share-page.js';
import { testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { isPng, pngInfo, pngPixels } from '../helpers/png.js';
import { waitFor } from '../helpers/rooms.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer } from '../helpers/test-server.js';

const BASE = 'https://pets.example';

/** Every `<meta property|name=… content=…>` of a page, by key (content unescaped). */
function metaTags(html: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) {
    tags.set(m[1]!, m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&'));
  }
  return tags;
}

describe('share cards: renderer', () => {
  it('draws both formats at their sizes, byte-identical for the same inputs (Cyrillic names too)', async () => {
    const picture = { mime: 'image/svg+xml', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#3a7"/></svg>') };
    for (const format of ['story', 'preview'] as const) {
      const content = { format, gameName: 'Telepets', name: 'Рыжик & <Co>', subtitle: 'Взрослый · день 3', cta: 'Вырасти своего питомца', handle: '@telepets_bot', picture };
      const a = await renderPng(cardSvg(content));
      const b = await renderPng(cardSvg(content));
      assert.ok(isPng(a));
      assert.deepEqual([pngInfo(a).width, pngInfo(a).height], [CARD_SIZE[format].width, CARD_SIZE[format].height]);
      assert.ok(a.equals(b), `${format}: same inputs, same bytes`);
      const renamed = await renderPng(cardSvg({ ...content, name: 'Рыжик 2' }));
      assert.ok(!renamed.equals(a), 'another name draws another card');
    }
  });

  it('escapes the texts of a card and fits long names (two lines, then cut)', () => {
    const picture = { mime: 'image/png', bytes: Buffer.from('x') };
    const svg = cardSvg({ format: 'story', gameName: 'Telepets', name: '<script>"a" & \'b\'</script>', subtitle: 'Egg · Day 1', cta: 'Go', handle: null, picture });
    assert.ok(!svg.includes('<script'));
    // The name may wrap at a space: each part escaped.
    assert.ok(svg.includes('&lt;script&gt;&quot;a&quot;'));
    assert.ok(svg.includes('&#39;b&#39;&lt;/script&gt;'));
    assert.ok(svg.includes('&amp;'));
    assert.deepEqual(fitName('Mochi', 940, 120, 56), { lines: ['Mochi'], size: 120 });
    assert.equal(fitName('Великолепный Пушистик Барсикович', 940, 120, 56).lines.length, 2);
    const cut = fitLine('x'.repeat(200), 540, 84, 40);
    assert.equal(cut.size, 40);
    assert.ok(cut.text.endsWith('…') && [...cut.text].length < 200);
    assert.equal(fitLine('a\u0000b\u202Ec', 540, 84, 40).text, 'abc', 'control and format characters dropped');
  });

  it('refuses renders after the pool is closed, and a malformed SVG fails without killing the pool', async () => {
    assert.throws(() => new RenderPool(0), RangeError);
    const pool = new RenderPool(1);
    await assert.rejects(pool.render('<svg'), /card render failed/);
    const ok = await pool.render('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>');
    assert.deepEqual([pngInfo(ok).width, pngInfo(ok).height], [10, 20]);
    await pool.close();
    await assert.rejects(pool.render('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>'), /closed/);
  });

  it('picks the page language from Accept-Language', () => {
    assert.equal(languageFromHeader(undefined), 'en');
    assert.equal(languageFromHeader('ru-RU,ru;q=0.9,en;q=0.8'), 'ru');
    assert.equal(languageFromHeader('de-DE,en;q=0.5,ru;q=0.7'), 'ru');
    assert.equal(languageFromHeader('fr, en;q=0.1'), 'en');
    assert.equal(languageFromHeader('ru;q=0, en'), 'en');
    assert.equal(languageFromHeader('x'.repeat(10_000)), 'en');
  });
});

describeEachDialect('share cards, links and the public page', (dialect) => {
  let s: TestServer;
  let fake: FakeBotApi;
  const ann = { id: 7101, firstName: 'Ann', username: 'ann_secret_handle', languageCode: 'en' };
  const bob = { id: 7102, firstName: 'Bob' };
  const eve = { id: 7103, firstName: 'Eve' };
  let annId: string;
  let annInvite: string;
  let annPet: string;
  let adminToken: string;
  const admin = (method: string, path: string, body?: unknown) => s.api(null, method, path, body, { authorization: `Bearer ${adminToken}` });
  const raw = (path: string, headers: Record<string, string> = {}) => fetch(s.url + path, { headers, redirect: 'manual' });
  /** The card's current immutable path, from the redirect of the bare URL. */
  const currentCard = async (petId: string, format: 'story' | 'preview') => {
    const res = await raw(`/api/v1/pets/${petId}/card.png?format=${format}`);
    assert.equal(res.status, 302);
    return res.headers.get('location')!;
  };

  before(async () => {
    fake = new FakeBotApi({ token: TEST_BOT_TOKEN, now: testClock() });
    const apiRoot = await fake.listen();
    s = await startTestServer({
      dialect,
      env: {
        TELEGRAM_API_ROOT: apiRoot,
        TELEGRAM_BOT_USERNAME: 'telepets_bot',
        TELEGRAM_MINIAPP_NAME: 'play',
        PUBLIC_URL: BASE,
        ADMIN_PASSWORD: 'bootstrap-pw',
        JWT_SECRET: 'c'.repeat(40),
        RATE_LIMIT_SHARE_PREPARED_MAX: '5',
        STARS_RECONCILE_INTERVAL_S: '0',
      },
    });
    const me = (await s.api(ann, 'GET', '/api/v1/me')).body;
    annId = me.id;
    annInvite = me.inviteCode;
    annPet = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'fox' })).body.id;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: annInvite });
    await s.api(eve, 'GET', '/api/v1/me');
    adminToken = (await s.api(null, 'POST', '/admin/login', { password: 'bootstrap-pw' })).body.token;
    await waitFor(() => s.app.telegram()?.ready, 'the bot is ready');
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
    await fake?.close();
  });

  it('serves PNG cards of both formats at an immutable content-hash URL (ETag, 304); a bare or stale URL redirects', async () => {
    for (const format of ['story', 'preview'] as const) {
      const location = await currentCard(annPet, format);
      assert.match(location, new RegExp(`^/api/v1/pets/${annPet}/card\\.png\\?format=${format}&v=[A-Za-z0-9_-]{32}$`));
      const res = await raw(location);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const etag = res.headers.get('etag')!;
      assert.equal(etag, `"${new URL(location, s.url).searchParams.get('v')}"`);
      const png = Buffer.from(await res.arrayBuffer());
      assert.deepEqual([pngInfo(png).width, pngInfo(png).height], [CARD_SIZE[format].width, CARD_SIZE[format].height]);

      const again = await raw(location, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal((await again.arrayBuffer()).byteLength, 0);

      const stale = await raw(`/api/v1/pets/${annPet}/card.png?format=${format}&v=stale`);
      assert.equal(stale.status, 302);
      assert.equal(stale.headers.get('location'), location);
      assert.equal(stale.headers.get('cache-control'), 'public, max-age=60');
    }
    // Story is the default format.
    assert.match(await currentCard(annPet, 'story'), /format=story/);
    assert.equal((await raw(`/api/v1/pets/${annPet}/card.png?format=square`)).status, 400);
    assert.equal((await raw(`/api/v1/pets/${annPet}/card.png?v=${'x'.repeat(65)}`)).status, 400);
    assert.equal((await raw(`/api/v1/pets/${annPet}/card.png?extra=1`)).status, 400);
    const missing = await raw('/api/v1/pets/00000000-0000-4000-8000-000000000000/card.png');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'PET_NOT_FOUND');
  });

  it('is deterministic: the served card is the bytes a fresh render of its inputs gives; a new name is a new hash', async () => {
    const cards = s.app.http.services.cards;
    const location = await currentCard(annPet, 'preview');
    const served = Buffer.from(await (await raw(location)).arrayBuffer());
    const pet = await cards.publicPet(annPet);
    const fresh = await renderPng(cardSvg({ ...cards.content(pet, 'preview'), picture: await cards.pictureBytes(pet) }));
    assert.ok(served.equals(fresh), 'served bytes equal a fresh render');

    const renamed = await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi Two' });
    assert.equal(renamed.status, 200);
    const next = await currentCard(annPet, 'preview');
    assert.notEqual(next, location);
    assert.equal((await raw(location)).headers.get('location'), next, 'the old URL redirects to the new card');
    await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi' });
    assert.equal(await currentCard(annPet, 'preview'), location, 'the same inputs give the same hash again');
  });

  it('renders a card once for many concurrent requests', async () => {
    const cards = s.app.http.services.cards;
    await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi Concurrent' });
    const location = await currentCard(annPet, 'story');
    const before = cards.stats.renders;
    const bodies = await Promise.all(Array.from({ length: 6 }, async () => Buffer.from(await (await raw(location)).arrayBuffer())));
    assert.equal(cards.stats.renders - before, 1);
    for (const body of bodies) assert.ok(body.equals(bodies[0]!));
    await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi' });
  });

  it('gives share info to the owner only: one stable share code, absolute URLs, the bot link with the referral', async () => {
    const [a, b] = await Promise.all([s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`), s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.shareCode, b.body.shareCode, 'two first shares at once agree on one code');
    assert.match(a.body.shareCode, /^[A-Za-z0-9_-]{12}$/);
    assert.equal(a.body.pageUrl, `${BASE}/p/${a.body.shareCode}`);
    assert.equal(a.body.storyCardUrl, BASE + (await currentCard(annPet, 'story')));
    assert.equal(a.body.previewCardUrl, BASE + (await currentCard(annPet, 'preview')));
    assert.equal(a.body.botLink, `https://t.me/telepets_bot/play?startapp=ref_${annInvite}`);
    assert.equal(a.body.inviteCode, annInvite);
    assert.equal(a.headers['cache-control'], 'no-store');
    const rows = await s.app.db.kysely.selectFrom('pet_share_codes').selectAll().where('pet_id', '=', annPet).execute();
    assert.equal(rows.length, 1);
    assert.equal((await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body.shareCode, a.body.shareCode, 'stable afterwards');

    assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${annPet}/share`)).body.error.code, 'FORBIDDEN', "a friend cannot share another's pet");
    assert.equal((await s.api(eve, 'GET', `/api/v1/pets/${annPet}/share`)).body.error.code, 'FORBIDDEN');
    assert.equal((await s.api(null, 'GET', `/api/v1/pets/${annPet}/share`)).status, 401);
    assert.equal((await s.api(ann, 'GET', '/api/v1/pets/not%20an%20id/share')).status, 400);
    assert.equal((await s.api(ann, 'GET', '/api/v1/pets/no-such-pet/share')).body.error.code, 'PET_NOT_FOUND');
  });

  it('shows the public page with Open Graph and Twitter tags of the preview card, escaped, and nothing private', async () => {
    const evil = `<script>alert("x")</script>'Tom'`;
    const renamed = await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: evil });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const info = (await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body;
    const res = await raw(`/p/${info.shareCode}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html; charset=utf-8/);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();

    const tags = metaTags(html);
    assert.equal(tags.get('og:image'), info.previewCardUrl);
    assert.match(tags.get('og:image')!, /^https:\/\/pets\.example\/api\/v1\/pets\/[0-9a-f-]{36}\/card\.png\?format=preview&v=[A-Za-z0-9_-]{32}$/);
    assert.equal(tags.get('og:image:width'), '1200');
    assert.equal(tags.get('og:image:height'), '630');
    assert.equal(tags.get('og:url'), info.pageUrl);
    assert.equal(tags.get('og:title'), `${evil} in Telepets`);
    assert.equal(tags.get('twitter:card'), 'summary_large_image');
    assert.equal(tags.get('twitter:image'), info.previewCardUrl);
    assert.ok(tags.get('og:description')!.includes('Egg'));

    // Escaped everywhere: no markup from the name, no raw quote closing an attribute.
    assert.ok(!html.includes('<script'), 'no script element');
    assert.ok(!html.includes(evil));
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;Tom&#39;'));
    assert.ok(html.includes(`href="${info.botLink.replace(/&/g, '&amp;')}"`), 'the button opens the bot with the referral');

    // Nothing private: Telegram id, username, the owner's name, coins, meters.
    const me = (await s.api(ann, 'GET', '/api/v1/me')).body;
    for (const secret of [String(ann.id), ann.username, 'Ann', annId]) assert.ok(!html.includes(secret), `page shows ${secret}`);
    for (const word of ['coins', 'hunger', 'health', 'Hunger', 'Health', 'mood', 'Mood']) assert.ok(!html.includes(word), `page shows ${word}`);
    assert.ok(!html.includes(String(me.coins)) || String(me.coins).length < 3, 'no coin balance');

    const ru = await (await raw(`/p/${info.shareCode}`, { 'accept-language': 'ru-RU,ru;q=0.9' })).text();
    assert.match(ru, /<html lang="ru">/);
    assert.ok(ru.includes('Открыть в Telegram'));
    assert.ok(metaTags(ru).get('og:description')!.includes('Яйцо'));
    await s.api(ann, 'PATCH', `/api/v1/pets/${annPet}`, { name: 'Mochi' });
  });

  it('answers a "not available" page for unknown codes, 400 for malformed ones', async () => {
    const res = await raw('/p/AAAAAAAAAAAA');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assert.ok(res.headers.get('content-security-policy'));
    const html = await res.text();
    assert.ok(html.includes('This pet is not available'));
    assert.equal(metaTags(html).get('og:image'), undefined);
    assert.equal((await raw('/p/short')).status, 400);
    assert.equal((await raw('/p/AAAAAAAAAAA%3C')).status, 400);
  });

  it("shows nothing of a banned player's pet: card 404, page not available; back after the unban", async () => {
    const info = (await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body;
    const cardPath = info.previewCardUrl.slice(BASE.length);
    assert.equal((await admin('POST', `/admin/players/${annId}/ban`, { reason: 'testing share pages' })).status, 200);
    try {
      const card = await raw(cardPath);
      assert.equal(card.status, 404);
      assert.equal((await raw(`/api/v1/pets/${annPet}/card.png`)).status, 404);
      const page = await raw(`/p/${info.shareCode}`);
      assert.equal(page.status, 404);
      const html = await page.text();
      assert.ok(!html.includes('Mochi'));
      assert.equal(metaTags(html).get('og:title'), undefined);
      assert.equal(metaTags(html).get('og:image'), undefined);
    } finally {
      assert.equal((await admin('POST', `/admin/players/${annId}/unban`, { reason: 'done testing' })).status, 200);
    }
    assert.equal((await raw(cardPath)).status, 200);
    assert.equal((await raw(`/p/${info.shareCode}`)).status, 200);
  });

  it('never draws a hidden picture: a moderator hides it, the card falls back to the procedural picture', async () => {
    const cards = s.app.http.services.cards;
    const red = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#ff0000"/></svg>');
    const pet = await cards.publicPet(annPet);
    const now = s.now();
    await s.app.db.kysely
      .insertInto('pet_images')
      .values({
        id: '00000000-0000-4000-8000-00000000c0de',
        pet_id: annPet,
        owner_id: annId,
        stage: pet.stage,
        variant: pet.picture.variant,
        skin: pet.picture.skin,
        seed: 4242,
        preset: 'fast',
        image_key: `${annPet}:test-red`,
        status: 'ready',
        reason: null,
        provider: 'test',
        model: 'red',
        mime: 'image/png',
        size_bytes: red.length,
        etag: '"red-picture"',
        image_b64: red.toString('base64'),
        prompt: 'red',
        negative_prompt: '',
        requested_by: 'player',
        created_at: now + 60_000,
        updated_at: now + 60_000,
        completed_at: now + 60_000,
      })
      .execute();
    const centre = (png: Buffer) => pngPixels(png).rgba(315, 315);
    const shown = Buffer.from(await (await raw(await currentCard(annPet, 'preview'))).arrayBuffer());
    assert.deepEqual(centre(shown).slice(0, 3), [255, 0, 0], 'the stored picture is on the card');
    const shownPage = await (await raw(`/p/${(await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body.shareCode}`)).text();

    const hidden = await admin('POST', `/admin/moderation/pets/${annPet}/hide-picture`, { reason: 'not suitable' });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const after = Buffer.from(await (await raw(await currentCard(annPet, 'preview'))).arrayBuffer());
    assert.notDeepEqual(centre(after).slice(0, 3), [255, 0, 0], 'the hidden picture is not on the card');
    const info = (await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body;
    assert.notEqual(metaTags(shownPage).get('og:image'), info.previewCardUrl, 'the page points at the new card');
    // The old immutable URL (with the hidden picture) now redirects instead of serving it.
    const old = metaTags(shownPage).get('og:image')!.slice(BASE.length);
    assert.equal((await raw(old)).status, 302);
    const story = Buffer.from(await (await raw(info.storyCardUrl.slice(BASE.length))).arrayBuffer());
    assert.notDeepEqual(pngPixels(story).rgba(540, 740).slice(0, 3), [255, 0, 0]);
  });

  it('prepares a share message through the Bot API: the preview card, a caption and a button to the bot', async () => {
    const res = await s.api(ann, 'POST', `/api/v1/pets/${annPet}/share/prepared`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const saved = fake.preparedMessages.find((m) => m.id === res.body.preparedMessageId);
    assert.ok(saved, 'the fake Bot API stored it');
    assert.equal(saved.userId, ann.id);
    assert.deepEqual(saved.allow, { user: true, bot: false, group: true, channel: true });
    const info = (await s.api(ann, 'GET', `/api/v1/pets/${annPet}/share`)).body;
    assert.equal(saved.result.type, 'photo');
    assert.equal(saved.result.photo_url, info.previewCardUrl);
    assert.match(String(saved.result.caption), /Mochi/);
    assert.deepEqual(saved.result.reply_markup, { inline_keyboard: [[{ text: 'Play', url: info.botLink }]] });
    // The photo Telegram would fetch is the 1200×630 PNG.
    const png = Buffer.from(await (await raw(String(saved.result.photo_url).slice(BASE.length))).arrayBuffer());
    assert.deepEqual([pngInfo(png).width, pngInfo(png).height], [1200, 630]);

    assert.equal((await s.api(bob, 'POST', `/api/v1/pets/${annPet}/share/prepared`)).body.error.code, 'FORBIDDEN');
  });

  it('a Bot API failure is 503 SHARE_UNAVAILABLE and stores nothing', async () => {
    const bobPet = (await s.api(bob, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' })).body.id;
    const stored = fake.preparedMessages.length;
    fake.failNext('savePreparedInlineMessage', { status: 400, description: 'Bad Request: USER_ID_INVALID' });
    const res = await s.api(bob, 'POST', `/api/v1/pets/${bobPet}/share/prepared`);
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'SHARE_UNAVAILABLE');
    assert.equal(fake.preparedMessages.length, stored);
    assert.equal((await s.app.db.kysely.selectFrom('pet_share_codes').select('code').where('pet_id', '=', bobPet).execute()).length, 0);
  });

  it('limits prepared messages per player (429)', async () => {
    let limited = 0;
    for (let i = 0; i < 7; i++) {
      const res = await s.api(eve, 'POST', `/api/v1/pets/${annPet}/share/prepared`);
      if (res.status === 429) limited++;
      else assert.equal(res.body.error.code, 'FORBIDDEN');
    }
    assert.ok(limited >= 1);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await s.api(null, 'GET', '/openapi.json')).body;
    for (const p of ['/api/v1/pets/{petId}/card.png', '/api/v1/pets/{petId}/share', '/api/v1/pets/{petId}/share/prepared', '/p/{shareCode}']) {
      assert.ok(doc.paths[p], `${p} in OpenAPI`);
    }
  });
});

describe('share cards: the render budget', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { CARD_RENDER_CONCURRENCY: '1', CARD_RENDER_QUEUE: '1', RATE_LIMIT_PUBLIC_API_MAX: '0' } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('refuses renders beyond the budget with 503 CARD_RENDER_BUSY and keeps serving', async () => {
    const pets: string[] = [];
    for (let i = 0; i < 6; i++) pets.push((await s.api({ id: 7200 + i }, 'POST', '/api/v1/pets', { name: `Pet ${i}`, species: 'cat' })).body.id);
    const locations = await Promise.all(pets.map(async (id) => (await fetch(`${s.url}/api/v1/pets/${id}/card.png`, { redirect: 'manual' })).headers.get('location')!));
    const statuses = await Promise.all(locations.map(async (l) => (await fetch(s.url + l)).status));
    assert.ok(statuses.includes(503), `some refused: ${statuses.join(',')}`);
    assert.ok(statuses.includes(200), `some served: ${statuses.join(',')}`);
    const refused = await fetch(s.url + locations[statuses.indexOf(503)]!);
    // Once the others are done, nothing holds the slot: the refused card is drawn.
    assert.equal(refused.status, 200);
    assert.equal(s.app.http.services.cards.stats.refused >= 1, true);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });
});
