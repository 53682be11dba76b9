/**
 * Moderation (docs/moderation.md): a friend reports a pet once, the moderator sees it in the
 * queue and hides the picture (owner, friend and room then see the procedural picture; the
 * bytes stay for an appeal), every action audited; refused names reach the queue, capped.
 */
import assert from 'node:assert/strict';
import { hashPassword } from '../../server/auth/passwords.js';
import { AdminRepository } from '../../server/repositories/admin-repository.js';
import { NAME_ATTEMPTS_PER_DAY, REPORTS_PER_HOUR } from '../../server/services/moderation-service.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { joinHome, petView, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDialect('moderation: reports, the queue, hidden pictures', (dialect) => {
  let s: TestServer;
  const ann = { id: 5101, firstName: 'Ann' };
  const bob = { id: 5102, firstName: 'Bob' };
  const eve = { id: 5103, firstName: 'Eve' };
  let annPet: string;
  let modToken: string;

  const admin = (method: string, path: string, body?: unknown) => s.api(null, method, path, body, { authorization: `Bearer ${modToken}` });

  before(async () => {
    s = await startTestServer({ dialect, env: { ADMIN_PASSWORD: 'bootstrap-pw', JWT_SECRET: 'm'.repeat(40), IMAGE_PRESET: 'fast' } });
    annPet = (await s.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' })).body.id;
    await s.api(bob, 'POST', '/api/v1/friends', { inviteCode: (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode });
    await s.api(eve, 'GET', '/api/v1/me');
    await new AdminRepository(s.app.db.kysely).createAccount({ name: 'mia', role: 'moderator', passwordHash: await hashPassword('moderator-pw') }, s.now());
    modToken = (await s.api(null, 'POST', '/admin/login', { name: 'mia', password: 'moderator-pw' })).body.token;
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it("a friend reports a pet once (a repeat answers the first report); not one's own pet, not a stranger's", async () => {
    const first = await s.api(bob, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'picture', note: 'not a cat' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.created, true);
    const again = await s.api(bob, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' });
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.id, again.body.created, again.body.reason], [first.body.id, false, 'picture']);
    const count = await s.app.db.kysely.selectFrom('pet_reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);

    assert.equal((await s.api(ann, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' })).body.error.code, 'REPORT_OWN_PET');
    assert.equal((await s.api(eve, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' })).body.error.code, 'FORBIDDEN');
    assert.equal((await s.api(bob, 'POST', '/api/v1/pets/00000000-0000-4000-8000-000000000000/reports', { reason: 'name' })).status, 404);
  });

  it('validates the report body', async () => {
    for (const body of [{}, { reason: 'ugly' }, { reason: 'name', note: 'x'.repeat(201) }, { reason: 'name', note: 'a\u0000b' }, { reason: 'name', extra: 1 }]) {
      const res = await s.api(bob, 'POST', `/api/v1/pets/${annPet}/reports`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
  });

  it('limits new reports per player and hour (429 RATE_LIMITED with retryAfterSeconds)', async () => {
    const now = s.now();
    // Fill the reporter's hour with reports of other pets (rows as the service would write them).
    const others = await s.app.db.kysely.selectFrom('pets').select('id').where('id', '!=', annPet).execute();
    assert.equal(others.length, 0);
    const eveId = (await s.api(eve, 'GET', '/api/v1/me')).body.id;
    const petIds: string[] = [];
    for (let i = 0; i < REPORTS_PER_HOUR; i++) {
      petIds.push((await s.api({ id: 5200 + i, firstName: `P${i}` }, 'POST', '/api/v1/pets', { name: `Pet ${i}`, species: 'dog' })).body.id);
    }
    await s.app.db.kysely
      .insertInto('pet_reports')
      .values(
        petIds.map((petId, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          pet_id: petId,
          owner_id: eveId,
          reporter_id: eveId,
          reason: 'other' as const,
          note: null,
          status: 'resolved' as const,
          resolution: 'dismissed',
          resolved_by: 'test',
          resolved_at: now,
          created_at: now - 60_000,
        })),
      )
      .execute();
    await s.api(eve, 'POST', '/api/v1/friends', { inviteCode: (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode });
    const limited = await s.api(eve, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  it('shows the reports grouped per pet in the queue, with the picture; moderators hide it, the pet falls back to its procedural picture, audited', async () => {
    const home = await joinHome(s, ann);
    const original = await waitFor(() => petView(home, annPet)?.imageStatus === 'ready' && petView(home, annPet).imageUrl, 'the picture');
    const watching = await joinHome(s, bob, (await s.api(ann, 'GET', '/api/v1/me')).body.id);

    const queue = await admin('GET', '/admin/moderation/queue?status=open&kind=report');
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    const group = queue.body.items.find((i: any) => i.petId === annPet);
    assert.ok(group);
    assert.deepEqual(
      [group.kind, group.petName, group.ownerName, group.reporters, group.reasons, group.pictureUrl],
      ['report', 'Mochi', 'Ann', 1, { name: 0, picture: 1, other: 0 }, original],
    );

    const hidden = await admin('POST', `/admin/moderation/pets/${annPet}/hide-picture`, { reason: 'not suitable' });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.equal(`/api/v1/images/${hidden.body.imageId}`, original);
    assert.equal(hidden.body.resolvedReports, 1);
    assert.ok(hidden.body.shownImageId && hidden.body.shownImageId !== hidden.body.imageId);

    for (const viewer of [ann, bob]) {
      const current = await s.api(viewer, 'GET', `/api/v1/pets/${annPet}/images/current`);
      assert.equal(current.status, 200);
      assert.equal(current.body.id, hidden.body.shownImageId);
      assert.equal(current.body.provider, 'procedural');
      const list = (await s.api(viewer, 'GET', `/api/v1/pets/${annPet}/images`)).body.items;
      assert.ok(!list.some((i: any) => i.id === hidden.body.imageId), 'the hidden picture is not listed');
    }
    assert.equal((await fetch(s.url + original)).status, 404, 'the hidden bytes are served to nobody');
    await waitFor(() => petView(home, annPet)?.imageUrl === `/api/v1/images/${hidden.body.shownImageId}`, 'the owner’s room shows the procedural picture');
    await waitFor(() => petView(watching, annPet)?.imageUrl === `/api/v1/images/${hidden.body.shownImageId}`, 'the friend’s view too');
    // The bytes are kept for an appeal.
    const row = await s.app.db.kysely.selectFrom('pet_images').select(['image_b64', 'hidden_at', 'hidden_by']).where('id', '=', hidden.body.imageId).executeTakeFirstOrThrow();
    assert.ok(row.image_b64 && row.hidden_at !== null && row.hidden_by);
    // The system does not queue the stage's picture again (its key is taken by the hidden row).
    await s.app.images.ensure({ id: annPet, ownerId: (await s.api(ann, 'GET', '/api/v1/me')).body.id, species: 'cat', stage: 0, variant: 0, skin: 'default' });
    const rows = await s.app.db.kysely.selectFrom('pet_images').select('id').where('pet_id', '=', annPet).execute();
    assert.equal(rows.length, 2, 'the hidden picture and its procedural stand-in, nothing queued');
    // Nothing left to hide: the stand-in is not hidden again.
    assert.equal((await admin('POST', `/admin/moderation/pets/${annPet}/hide-picture`, { reason: 'again' })).body.error.code, 'NO_PICTURE_TO_HIDE');

    assert.deepEqual((await admin('GET', '/admin/moderation/queue')).body.items.filter((i: any) => i.petId === annPet), []);
    const resolved = (await admin('GET', '/admin/moderation/queue?status=resolved')).body.items.find((i: any) => i.petId === annPet);
    assert.equal(resolved.hiddenPictureId, hidden.body.imageId);

    // Moderators see the hidden picture (for an appeal) through the admin route, with their token only.
    assert.equal(resolved.hiddenPictureUrl, `/admin/images/${hidden.body.imageId}`);
    assert.equal(resolved.pictureUrl, `/api/v1/images/${hidden.body.shownImageId}`);
    const stored = await s.app.db.kysely.selectFrom('pet_images').select(['image_b64', 'mime']).where('id', '=', hidden.body.imageId).executeTakeFirstOrThrow();
    const bytes = await fetch(s.url + resolved.hiddenPictureUrl, { headers: { authorization: `Bearer ${modToken}` } });
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers.get('cache-control'), 'private, no-store');
    assert.equal(bytes.headers.get('content-type'), stored.mime);
    assert.equal(Buffer.from(await bytes.arrayBuffer()).toString('base64'), stored.image_b64);
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Array<Record<string, string>>) {
      assert.equal((await fetch(s.url + resolved.hiddenPictureUrl, { headers })).status, 401, JSON.stringify(headers));
    }
    const asPlayer = await s.api(ann, 'GET', resolved.hiddenPictureUrl);
    assert.ok(asPlayer.status === 401 || asPlayer.status === 403, `a player is refused (${asPlayer.status})`);
    assert.equal((await fetch(s.url + original)).status, 404, 'the public route still refuses the hidden picture');
    assert.equal((await admin('GET', '/admin/images/00000000-0000-4000-8000-000000000000')).status, 404);

    const audit = (await admin('GET', `/admin/audit?targetId=${annPet}`)).body.items;
    assert.equal(audit[0].action, 'moderation.hide_picture');
    assert.equal(audit[0].actorName, 'mia');
    assert.equal(audit[0].reason, 'not suitable');
    assert.deepEqual(audit[0].after, { imageId: hidden.body.imageId, hidden: true, resolvedReports: 1 });

    // An appeal shows it again.
    const shown = await admin('POST', `/admin/moderation/pets/${annPet}/unhide-picture`, { reason: 'appeal accepted' });
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal((await s.api(bob, 'GET', `/api/v1/pets/${annPet}/images/current`)).body.id, hidden.body.imageId);
    assert.equal((await fetch(s.url + original)).status, 200);
    await waitFor(() => petView(home, annPet)?.imageUrl === original, 'the room shows it again');
    assert.equal((await admin('POST', `/admin/moderation/pets/${annPet}/unhide-picture`, { reason: 'again' })).body.error.code, 'PICTURE_NOT_HIDDEN');
    assert.equal((await admin('GET', `/admin/audit?targetId=${annPet}`)).body.items[0].action, 'moderation.unhide_picture');
    await watching.leave();
    await home.leave();
  });

  it('dismisses a report or all of a pet’s, audited; validates', async () => {
    const first = await s.api(eve, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' });
    // Eve is over her hourly budget: her report was refused; Bob's new pet report path instead.
    assert.equal(first.status, 429);
    const carl = { id: 5104, firstName: 'Carl' };
    await s.api(carl, 'POST', '/api/v1/friends', { inviteCode: (await s.api(ann, 'GET', '/api/v1/me')).body.inviteCode });
    const report = (await s.api(carl, 'POST', `/api/v1/pets/${annPet}/reports`, { reason: 'name' })).body;
    const dismissed = await admin('POST', `/admin/moderation/reports/${report.id}/dismiss`, { reason: 'the name is fine' });
    assert.deepEqual([dismissed.status, dismissed.body.resolvedReports], [200, 1]);
    assert.equal((await admin('POST', `/admin/moderation/reports/${report.id}/dismiss`, { reason: 'again' })).body.resolvedReports, 0);
    assert.equal((await admin('GET', `/admin/audit?targetId=${report.id}`)).body.items[0].action, 'moderation.dismiss_report');
    assert.equal((await admin('POST', '/admin/moderation/reports/00000000-0000-4000-8000-00000000ffff/dismiss', { reason: 'none' })).body.error.code, 'REPORT_NOT_FOUND');
    assert.equal((await admin('POST', `/admin/moderation/reports/${report.id}/dismiss`, {})).status, 400);
    assert.equal((await admin('POST', `/admin/moderation/pets/${annPet}/dismiss`, { reason: 'nothing open' })).body.resolvedReports, 0);
    assert.equal((await admin('GET', '/admin/moderation/queue?status=closed')).status, 400);
    assert.equal((await s.api(null, 'GET', '/admin/moderation/queue')).status, 401);
  });

  it('keeps names the word filter refused for the queue, a few per player and day', async () => {
    const dan = { id: 5105, firstName: 'Dan' };
    for (let i = 0; i < NAME_ATTEMPTS_PER_DAY + 2; i++) {
      const res = await s.api(dan, 'POST', '/api/v1/pets', { name: 'fuck', species: 'cat' });
      assert.equal(res.body.error.code, 'NAME_REJECTED');
    }
    const names = await waitFor(async () => {
      const items = (await admin('GET', '/admin/moderation/queue?kind=name')).body.items.filter((i: any) => i.playerName === 'Dan');
      return items.length === NAME_ATTEMPTS_PER_DAY && items;
    }, 'the refused names');
    assert.deepEqual([names[0].kind, names[0].text, names[0].context], ['name', 'fuck', 'adopt']);
    const page = await admin('GET', '/admin/moderation/queue?kind=name&limit=2');
    assert.equal(page.body.items.length, 2);
    const next = await admin('GET', `/admin/moderation/queue?kind=name&limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    assert.notEqual(next.body.items[0].id, page.body.items[1].id);
    const done = await admin('POST', `/admin/moderation/names/${names[0].id}/dismiss`, { reason: 'seen' });
    assert.equal(done.body.resolvedReports, 1);
    assert.equal((await admin('GET', '/admin/moderation/queue?kind=name&status=resolved')).body.items[0].id, names[0].id);
  });
});
