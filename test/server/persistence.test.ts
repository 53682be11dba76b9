import assert from 'node:assert/strict';
import { TicketClient } from '../../client/src/net/ticket-client.js';
import { signInitData } from '../../server/auth/init-data.js';
import { advance } from '../../sim/index.js';
import { statsFromRow } from '../../server/sim-host/pet-rows.js';
import { openDatabase } from '../../server/db/database.js';
import { loadConfig } from '../../server/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { nextMessage, waitFor } from '../helpers/rooms.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';
import { TEST_BOT_TOKEN, noonClockOffset } from '../helpers/test-server.js';

const TIME_SCALE = 600; // 10 game minutes per real second

describeEachDialect('persistence across a graceful restart', (dialect) => {
  let scratch: ScratchDatabase;
  let server: ServerProcess | undefined;
  const user = { id: 3001, first_name: 'Ann' };
  // The servers here are real processes on the system clock, so their users sign in at the
  // system clock too; nothing below depends on the date or the hour (the game clock starts at noon).
  const auth = () => `tma ${signInitData({ user, authDate: Math.floor(Date.now() / 1000) }, TEST_BOT_TOKEN)}`;
  const env = () => ({
    DATABASE_URL: scratch.url,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    SIM_TIME_SCALE: String(TIME_SCALE),
    SIM_CLOCK_OFFSET_S: String(clockOffset),
    // Long enough that only the shutdown flush can have saved the care actions.
    SNAPSHOT_INTERVAL_S: '3600',
  });

  let clockOffset = 0;
  before(async () => {
    scratch = await createScratch(dialect);
    clockOffset = noonClockOffset(TIME_SCALE, Date.now());
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await scratch?.drop();
  });

  it('keeps care done just before SIGTERM and catches the pet up on the next start', async function () {
    this.timeout(90_000);
    server = await spawnServer(env());
    const created = await fetch(`${server.url}/api/v1/pets`, {
      method: 'POST',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Keeper', species: 'bunny' }),
    });
    const pet = (await created.json()) as any;

    const base = server.url;
    const client = new TicketClient(`ws://127.0.0.1:${server.port}`, async () => {
      const res = await fetch(`${base}/api/v1/rooms/tickets`, { method: 'POST', headers: { authorization: auth() } });
      return ((await res.json()) as { ticket: string }).ticket;
    });
    const room = await client.joinOrCreate<any>('home', {});
    room.onMessage('*', () => undefined);
    await waitFor(() => room.state?.pets?.get(pet.id), 'pet in room');
    for (const action of ['feed', 'play', 'clean']) {
      const cared = nextMessage(room, 'cared');
      room.send('care', { petId: pet.id, action });
      await cared;
    }
    const live = room.state.pets.get(pet.id);
    const hungerBefore = live.hunger as number;

    const code = await server.stop('SIGTERM');
    assert.equal(code, 0, server.output());
    assert.match(server.output(), /"telepets stopped"/);

    const db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    const row = await db.kysely.selectFrom('pets').selectAll().where('id', '=', pet.id).executeTakeFirstOrThrow();
    await db.close();
    assert.deepEqual([row.feed_count, row.play_count, row.clean_count], [1, 1, 1]);
    assert.ok(Math.abs(row.hunger - hungerBefore) < 1, `stored hunger ${row.hunger} vs live ${hungerBefore}`);

    await new Promise((r) => setTimeout(r, 1500));
    server = await spawnServer(env());
    const res = await fetch(`${server.url}/api/v1/pets/${pet.id}`, { headers: { authorization: auth() } });
    const after = (await res.json()) as any;
    assert.deepEqual(after.careCounts, { feed: 1, play: 1, clean: 1, heal: 0, overfeed: 0 });

    const stats = statsFromRow(row, { timeScale: TIME_SCALE, offsetSeconds: Number(env().SIM_CLOCK_OFFSET_S) });
    const elapsedGame = ((Date.parse(after.updatedAt) - row.last_snapshot_at) / 1000) * TIME_SCALE;
    advance(stats, elapsedGame);
    assert.ok(after.meters.hunger < row.hunger, 'time passed while the server was down');
    // 50 ms of clock slack at this time scale is 30 game seconds: a fraction of a point.
    assert.ok(Math.abs(after.meters.hunger - stats.hunger) < 0.2, `hunger ${after.meters.hunger} vs advance ${stats.hunger}`);
    assert.ok(Math.abs(after.ageSeconds - stats.ageSeconds) < 60, `age ${after.ageSeconds} vs ${stats.ageSeconds}`);
    assert.equal(after.stage, ['egg', 'baby', 'child', 'teen', 'adult'][stats.stage]);
    assert.equal(await server.stop('SIGINT'), 0);
  });
});
