/**
 * The cluster for real: three server processes and an image worker on real Postgres and
 * Redis, behind Debian's nginx with deploy/nginx's configuration, played through nginx's one
 * port the way the Mini App does (REST, matchmaking, WebSockets routed by PUBLIC_ADDRESS).
 */
import assert from 'node:assert/strict';
import type { Room } from 'colyseus.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { waitFor } from '../helpers/rooms.js';
import { IN_CI, needService } from '../helpers/services.js';
import { noonClockOffset, type TestUser } from '../helpers/test-server.js';
import { nginxBinary } from '../helpers/cluster.js';
import { CLOSE_BANNED } from '../../shared/protocol.js';

async function join(c: TestCluster, user: TestUser, options: { ownerId?: string } = {}, base?: string): Promise<Room<any>> {
  const room = await c.client(user, base).joinOrCreate<any>('home', options);
  room.onMessage('*', () => undefined);
  await waitFor(() => room.state?.pets !== undefined, 'initial state');
  return room;
}

/** Joins the user's home again and again (through nginx) until a living process holds it. */
function rejoin(c: TestCluster, user: TestUser, timeoutMs: number): Promise<Room<any>> {
  return waitFor(
    async () => {
      try {
        return await join(c, user);
      } catch {
        return null;
      }
    },
    'a home on a living process',
    timeoutMs,
  );
}

/** Which process holds a room: its listing names the process's PUBLIC_ADDRESS path. */
const processOf = (c: TestCluster, room: Room): string => {
  const address = (room as unknown as { connection: { transport: { ws: { url: string } } } }).connection.transport.ws.url;
  return c.nodes.find((n) => address.includes(`/${n.name}/`))?.name ?? address;
};

const ADMIN_PASSWORD = 'cluster-admin-password';

describe('cluster: three processes behind nginx', function () {
  this.timeout(120_000);
  let c: TestCluster;
  const ann: TestUser = { id: 9_100_001, firstName: 'Ann' };
  const bob: TestUser = { id: 9_100_002, firstName: 'Bob' };
  const rooms: Room[] = [];

  before(async function () {
    await needService(this, 'postgres');
    await needService(this, 'redis');
    if (!nginxBinary()) {
      if (IN_CI) throw new Error('nginx is not installed: .ci/run installs it (apt-get install -y nginx)');
      this.skip();
    }
    c = await startCluster({
      processes: 3,
      nginx: true,
      env: {
        SIM_CLOCK_OFFSET_S: String(noonClockOffset(1, Date.now())),
        ADMIN_PASSWORD,
        // One signing secret for the cluster: an admin token from one process works on all.
        JWT_SECRET: 'cluster-test-jwt-secret-0123456789abcdef',
      },
    });
  });

  after(async () => {
    // A room on the killed process never answers a leave: give each a moment, then go.
    await Promise.allSettled(rooms.map((r) => Promise.race([r.leave(true), new Promise((resolve) => setTimeout(resolve, 1000))])));
    await c?.stop();
  });

  it('serves the Mini App and the API from any process through one port', async () => {
    const page = await fetch(`${c.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="app"|<script/);
    for (const user of [ann, bob]) {
      const me = await c.api(user, 'GET', '/api/v1/me');
      assert.equal(me.status, 200);
    }
    assert.equal((await fetch(`${c.url}/metrics`)).status, 404, 'metrics are not public');
  });

  it('ends joins of one home arriving at once on different processes in one room', async () => {
    const annPet = await c.api(ann, 'POST', '/api/v1/pets', { name: 'Mochi', species: 'cat' });
    assert.equal(annPet.status, 201);
    const bobPet = await c.api(bob, 'POST', '/api/v1/pets', { name: 'Rex', species: 'dog' });
    assert.equal(bobPet.status, 201);
    const annMe = (await c.api(ann, 'GET', '/api/v1/me')).body as { id: string; inviteCode: string };
    assert.equal((await c.api(bob, 'POST', '/api/v1/friends', { inviteCode: annMe.inviteCode })).status, 201);
    // The owner through two processes directly and the friend through a third, all at once.
    const [n1, n2, n3] = c.nodes;
    const joined = await Promise.all([
      join(c, ann, {}, n1?.url),
      join(c, ann, {}, n2?.url),
      join(c, bob, { ownerId: annMe.id }, n3?.url),
    ]);
    rooms.push(...joined);
    const ids = new Set(joined.map((r) => r.roomId));
    assert.equal(ids.size, 1, `one room: ${[...ids].join(', ')}`);
    await waitFor(() => joined[2]?.state.spectators === 1, 'the friend counted as a spectator');
  });

  it('shows a purchase and a REST care made on other processes in the owner\'s room', async () => {
    const home = await join(c, ann);
    rooms.push(home);
    const owner = processOf(c, home);
    const others = c.nodes.filter((n) => n.name !== owner);
    assert.equal(others.length, 2);
    // Bought on another process: the room hears it over the owner bus.
    const bought = await c.api(ann, 'POST', '/api/v1/shop/purchases', { itemId: 'kibble' }, others[0]?.url, { 'idempotency-key': 'cluster-buy-1' });
    assert.equal(bought.status, 201, JSON.stringify(bought.body));
    const kibble = (bought.body.inventory.items as Array<{ itemId: string; quantity: number }>).find((i) => i.itemId === 'kibble')?.quantity;
    await waitFor(() => home.state.inventory.get('kibble') === kibble, 'the bought kibble in the room');
    // The first purchase also completes an achievement: its coins arrive the same way.
    await waitFor(() => home.state.coins === bought.body.inventory.coins, 'the coins in the room');
    // Cared for over REST on the third process: forwarded to the owner's process and live in the room.
    const petId = [...home.state.pets.keys()][0] as string;
    const hunger = home.state.pets.get(petId).hunger as number;
    const cared = await c.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'feed' }, others[1]?.url);
    assert.equal(cared.status, 200, JSON.stringify(cared.body));
    await waitFor(() => (home.state.pets.get(petId).hunger as number) > hunger, 'the care in the room');
    const metrics = await (await fetch(`${others[1]?.url}/metrics`)).text();
    assert.match(metrics, /forwarded_requests_total\{outcome="ok"\} [1-9]/, 'the care was carried out by the owner process');
  });

  it('lets friends watch each other across processes and care over the room', async () => {
    const bobMe = (await c.api(bob, 'GET', '/api/v1/me')).body as { id: string };
    const bobHome = await join(c, bob);
    rooms.push(bobHome);
    const annWatching = await join(c, ann, { ownerId: bobMe.id });
    rooms.push(annWatching);
    assert.equal(annWatching.roomId, bobHome.roomId);
    const petId = [...bobHome.state.pets.keys()][0] as string;
    const mood = annWatching.state.pets.get(petId).mood as number;
    bobHome.send('care', { petId, action: 'play' });
    await waitFor(() => (annWatching.state.pets.get(petId).mood as number) > mood, 'the care seen by the friend');
  });

  it('lists every process\'s rooms in the admin inspector', async () => {
    // The admin API is not public (nginx answers 404): ask a process directly.
    const node = c.nodes[0];
    const login = await fetch(`${node?.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: ADMIN_PASSWORD }) });
    assert.equal(login.status, 200);
    const { token } = (await login.json()) as { token: string };
    const list = await fetch(`${node?.url}/admin/rooms`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await list.json()) as { items: Array<{ roomId: string; processId: string; ownerId: string }> };
    const home = rooms[0];
    assert.ok(body.items.some((r) => r.roomId === home?.roomId && r.processId.length > 0));
    for (const n of c.nodes) {
      const detail = await fetch(`${n.url}/admin/rooms/${home?.roomId}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(detail.status, 200, `${n.name} answers for a room anywhere`);
    }
  });

  it("bans on one process: the player's room on another closes and every process refuses them at once", async () => {
    const cat: TestUser = { id: 9_100_003, firstName: 'Cat' };
    const catId = ((await c.api(cat, 'GET', '/api/v1/me')).body as { id: string }).id;
    await c.api(cat, 'POST', '/api/v1/pets', { name: 'Pip', species: 'cat' });
    // Every process has the player's sign-in cached.
    for (const n of c.nodes) assert.equal((await c.api(cat, 'GET', '/api/v1/me', undefined, n.url)).status, 200);
    const home = await join(c, cat);
    const closed = new Promise<number>((resolve) => home.onLeave((code) => resolve(code)));
    const elsewhere = c.nodes.find((n) => n.name !== processOf(c, home))!;
    const login = await fetch(`${elsewhere.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const ban = await fetch(`${elsewhere.url}/admin/players/${catId}/ban`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ reason: 'cluster ban test' }),
    });
    assert.equal(ban.status, 200);
    assert.equal(await closed, CLOSE_BANNED);
    for (const n of c.nodes) {
      await waitFor(async () => (await c.api(cat, 'GET', '/api/v1/me', undefined, n.url)).status === 403, `${n.name} refuses the banned player`, 2_000);
    }
  });

  it("carries on through another process when the owner's process is killed, with nothing bought lost", async function () {
    const home = rooms[0] as Room<any>;
    const owner = processOf(c, home);
    const before = await c.api(ann, 'GET', '/api/v1/inventory');
    assert.equal(before.status, 200);
    const node = c.nodes.find((n) => n.name === owner);
    assert.ok(node);
    await node.server.stop('SIGKILL');
    // A fresh join through nginx lands on a living process once the dead one's home and lease expire.
    const rejoined = await rejoin(c, ann, 20_000);
    rooms.push(rejoined);
    assert.notEqual(processOf(c, rejoined), owner);
    assert.ok(rejoined.state.pets.size >= 1, 'the pets are back');
    const after = await c.api(ann, 'GET', '/api/v1/inventory');
    assert.deepEqual(after.body, before.body, 'nothing bought is lost');
    // And the pets go on living there: a care over REST shows in the new home.
    const petId = [...rejoined.state.pets.keys()][0] as string;
    const mood = rejoined.state.pets.get(petId).mood as number;
    const cared = await c.api(ann, 'POST', `/api/v1/pets/${petId}/care`, { action: 'play' });
    assert.equal(cared.status, 200, JSON.stringify(cared.body));
    await waitFor(() => (rejoined.state.pets.get(petId).mood as number) > mood, 'the care in the new home');
  });

  it('hands a stopping process\'s players over on SIGTERM, with their pets as they were', async () => {
    const bobHome = await join(c, bob);
    rooms.push(bobHome);
    const owner = processOf(c, bobHome);
    const petId = [...bobHome.state.pets.keys()][0] as string;
    const plays = (await c.api(bob, 'GET', `/api/v1/pets/${petId}`)).body.careCounts?.play;
    const node = c.nodes.find((n) => n.name === owner);
    assert.ok(node);
    const code = await node.server.stop('SIGTERM');
    assert.equal(code, 0, `a clean exit:\n${node.server.output().split('\n').slice(-12).join('\n')}`);
    const rejoined = await rejoin(c, bob, 10_000);
    rooms.push(rejoined);
    assert.notEqual(processOf(c, rejoined), owner);
    const after = await c.api(bob, 'GET', `/api/v1/pets/${petId}`);
    assert.equal(after.body.careCounts?.play, plays, 'the care is still there');
  });
});
