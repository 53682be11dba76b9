import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { TicketClient } from '../../client/src/net/ticket-client.js';
import {
  CLOSE_RATE_LIMITED,
  MAX_HOME_SPECTATORS,
  MSG_CARE,
  MSG_GAME_START,
  ROOM_MESSAGE_BUDGET,
} from '../../shared/protocol.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { spawnServer } from '../helpers/process.js';
import { clientFor, joinError, joinHome, roomTicket, waitFor } from '../helpers/rooms.js';
import { createSqliteScratch } from '../helpers/services.js';
import { epochSeconds } from '../helpers/clock.js';
import { TEST_BOT_TOKEN, startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';

/** The value of a counter (summed over its labels) in the app's Prometheus text. */
async function counter(s: TestServer, name: string): Promise<number> {
  const text = await s.app.metrics.registry.metrics();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').pop());
  return sum;
}

describeEachDialect('room hardening', (dialect) => {
  let s: TestServer;
  let n = 0;
  const newUser = (): TestUser => ({ id: 5_100_000 + dialect.length * 10_000 + ++n, firstName: `Guest${n}` });
  const idOf = async (user: TestUser) => (await s.api(user, 'GET', '/api/v1/me')).body.id as string;
  const befriend = async (a: TestUser, b: TestUser) => {
    const code = (await s.api(a, 'GET', '/api/v1/me')).body.inviteCode as string;
    assert.equal((await s.api(b, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
  };
  const roomsOf = (ownerId: string) => s.app.rooms.all().filter((r) => r.owner === ownerId).length;

  before(async () => {
    s = await startTestServer({ dialect });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  describe('room tickets', () => {
    it('joins with a ticket from the REST API, once', async () => {
      const user = newUser();
      await idOf(user);
      const ticket = await roomTicket(s, user);
      const room = await clientFor(s, null, ticket).joinOrCreate('home', {});
      await room.leave();
      const again = await joinError(clientFor(s, null, ticket).joinOrCreate('home', {}));
      assert.deepEqual(again, { code: 401, message: 'ROOM_TICKET_INVALID' });
    });

    it('refuses initData, made-up tickets and no token at all', async () => {
      const user = newUser();
      await idOf(user);
      for (const token of [s.initData(user), 'x'.repeat(43), undefined]) {
        const err = await joinError(clientFor(s, null, token).joinOrCreate('home', {}));
        assert.deepEqual(err, { code: 401, message: 'ROOM_TICKET_INVALID' }, String(token).slice(0, 20));
      }
    });

    it('gives no ticket for forged or expired initData', async () => {
      const user = newUser();
      const forged = s.initData(user).replace(/hash=\w+/, `hash=${'a'.repeat(64)}`);
      const res = await fetch(`${s.url}/api/v1/rooms/tickets`, { method: 'POST', headers: { authorization: `tma ${forged}` } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as any).error.code, 'AUTH_INVALID');
      const old = s.initData(user, epochSeconds(s.now()) - 3 * 86400);
      const expired = await fetch(`${s.url}/api/v1/rooms/tickets`, { method: 'POST', headers: { authorization: `tma ${old}` } });
      assert.equal(((await expired.json()) as any).error.code, 'AUTH_EXPIRED');
    });

    it('puts no token in the WebSocket URL', async () => {
      const user = newUser();
      await idOf(user);
      const urls: string[] = [];
      class Watching extends TicketClient {
        protected override buildEndpoint(room: unknown, options?: unknown, protocol?: string): string {
          const url = super.buildEndpoint(room, options, protocol);
          urls.push(url);
          return url;
        }
      }
      const room = await new Watching(s.wsUrl, () => roomTicket(s, user)).joinOrCreate('home', {});
      await room.leave();
      assert.equal(urls.length, 1);
      assert.ok(!urls[0]!.includes('_authToken') && !urls[0]!.includes('hash'), urls[0]);
    });
  });

  describe('one home per owner', () => {
    it('refuses to create a second home room, and create() when one is open', async () => {
      const owner = newUser();
      const ownerId = await idOf(owner);
      const home = await joinHome(s, owner);
      const err = await joinError(clientFor(s, owner).create('home', {}));
      assert.deepEqual(err, { code: 409, message: 'HOME_EXISTS' });
      const friend = newUser();
      await befriend(owner, friend);
      assert.deepEqual(await joinError(clientFor(s, friend).create('home', { ownerId })), { code: 409, message: 'HOME_EXISTS' });
      assert.equal(roomsOf(ownerId), 1);
      await home.leave();
    });

    it('makes one room of 20 simultaneous creates and joins by one owner', async () => {
      const owner = newUser();
      const ownerId = await idOf(owner);
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? clientFor(s, owner).create('home', {}) : clientFor(s, owner).joinOrCreate('home', {}))),
      );
      const rooms = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      assert.ok(rooms.length >= 1);
      assert.equal(new Set(rooms.map((r) => r.roomId)).size, 1, 'every join ended in the same room');
      assert.equal(roomsOf(ownerId), 1);
      for (const a of attempts) if (a.status === 'rejected') assert.ok(['HOME_EXISTS', 'HOME_FULL'].includes((a.reason as Error).message), (a.reason as Error).message);
      await Promise.all(rooms.map((r) => r.leave()));
    });

    it('refuses spectators beyond the limit with HOME_FULL instead of opening a second room, and still lets the owner in', async function () {
      this.timeout(120_000);
      const owner = newUser();
      const ownerId = await idOf(owner);
      const friends = Array.from({ length: MAX_HOME_SPECTATORS + 20 }, () => newUser());
      for (const f of friends) await befriend(owner, f);
      const joins = await Promise.allSettled(friends.map((f) => clientFor(s, f).joinOrCreate('home', { ownerId })));
      const inside = joins.flatMap((j) => (j.status === 'fulfilled' ? [j.value] : []));
      const refused = joins.flatMap((j) => (j.status === 'rejected' ? [(j.reason as Error).message] : []));
      assert.equal(inside.length, MAX_HOME_SPECTATORS);
      assert.deepEqual([...new Set(refused)], ['HOME_FULL']);
      assert.equal(new Set(inside.map((r) => r.roomId)).size, 1);
      assert.equal(roomsOf(ownerId), 1);
      const ownerRoom = await joinHome(s, owner);
      assert.equal(ownerRoom.roomId, inside[0]!.roomId);
      await Promise.all([...inside, ownerRoom].map((r) => r.leave()));
    });
  });

  describe('message budget', () => {
    it('drops a care flood with a few RATE_LIMITED notices, writes once, and cuts the flooder off with 4429', async function () {
      this.timeout(30_000);
      const owner = newUser();
      await idOf(owner);
      const pet = (await s.api(owner, 'POST', '/api/v1/pets', { name: 'Floody', species: 'cat' })).body;
      const kibble = async () =>
        ((await s.api(owner, 'GET', '/api/v1/inventory')).body.items as Array<{ itemId: string; quantity: number }>).find((i) => i.itemId === 'kibble')?.quantity ?? 0;
      const before = await kibble();
      const cutBefore = await counter(s, 'room_clients_cut_off_total');
      const room = await joinHome(s, owner);
      await waitFor(() => room.state.pets.get(pet.id), 'pet in room');
      const errors: string[] = [];
      room.onMessage('error', (m: { code: string }) => errors.push(m.code));
      let closeCode = 0;
      room.onLeave((code) => {
        closeCode = code;
      });
      let sent = 0;
      while (closeCode === 0) {
        for (let i = 0; i < 200 && room.connection.isOpen; i++, sent++) room.send(MSG_CARE, { petId: pet.id, action: 'feed' });
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(closeCode, CLOSE_RATE_LIMITED);
      const limited = errors.filter((c) => c === 'RATE_LIMITED').length;
      assert.ok(limited >= 1 && limited < sent / 100, `${limited} notices for ${sent} messages`);
      assert.ok(errors.filter((c) => c === 'CARE_COOLDOWN').length <= ROOM_MESSAGE_BUDGET.perType[MSG_CARE]!.burst * 10, 'most of the flood never reached the service');
      assert.equal(await kibble(), before - 1, 'one feed: one item');
      assert.equal(await counter(s, 'room_clients_cut_off_total'), cutBefore + 1);
      // Cut off means out for a while: the next join is refused, not seated.
      assert.equal((await joinError(clientFor(s, owner).joinOrCreate('home', {}))).message, 'RATE_LIMITED');
    });

    it('starts one round for a burst of gameStart', async () => {
      const owner = newUser();
      const ownerId = await idOf(owner);
      const pet = (await s.api(owner, 'POST', '/api/v1/pets', { name: 'Gamer', species: 'dog' })).body;
      const room = await joinHome(s, owner);
      await waitFor(() => room.state.pets.get(pet.id), 'pet in room');
      const errors: string[] = [];
      room.onMessage('error', (m: { code: string }) => errors.push(m.code));
      for (let i = 0; i < 30; i++) room.send(MSG_GAME_START, { petId: pet.id, kind: 'treats' });
      await waitFor(() => room.state.game?.status === 'running', 'a round running');
      await waitFor(() => errors.includes('RATE_LIMITED') && errors.includes('GAME_IN_PROGRESS'), 'refusals');
      const rows = await s.app.db.kysely.selectFrom('minigame_sessions').select('id').where('player_id', '=', ownerId).execute();
      assert.equal(rows.length, 1);
      await room.leave();
    });
  });
});

describe('websocket without a seat', () => {
  it('logs one warning line without a stack trace and closes', async function () {
    this.timeout(60_000);
    const scratch = createSqliteScratch();
    const server = await spawnServer({ DATABASE_URL: scratch.url, TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN });
    try {
      const before = server.output().length;
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/abc123/room456?sessionId=nope&_authToken=secret-initdata`);
      ws.on('error', () => undefined);
      await new Promise<void>((resolve) => ws.on('close', () => resolve()));
      await waitFor(() => server.output().slice(before).includes('websocket refused'), 'the warning');
      const lines = server.output().slice(before).split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, lines.join('\n'));
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      assert.equal(line.level, 'warn');
      assert.ok(!JSON.stringify(line).includes('stack') && !JSON.stringify(line).includes('secret-initdata'), lines[0]);
    } finally {
      await server.stop('SIGTERM');
      await scratch.drop();
    }
  });
});
