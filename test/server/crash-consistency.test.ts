import assert from 'node:assert/strict';
import { signInitData } from '../../server/auth/init-data.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { DEFAULT_ACTION_ITEM, STARTER_PACK, type CareAction } from '../../shared/balance.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { createScratch, type ScratchDatabase } from '../helpers/services.js';
import { TEST_BOT_TOKEN, noonClockOffset } from '../helpers/test-server.js';

const ACTIONS: readonly CareAction[] = ['feed', 'play', 'clean', 'heal'];

/**
 * A care action pays with an item. Whatever a `kill -9` interrupts, every item the database
 * says was used must have its effect in the pet the next process loads: the care and the
 * consumption are written together or not at all.
 */
describeEachDialect('care survives a crash with the item it used', (dialect) => {
  let scratch: ScratchDatabase;
  let server: ServerProcess | undefined;
  let clockOffset = 0;
  let user = { id: 3101, first_name: 'Kit' };
  const auth = () => `tma ${signInitData({ user, authDate: Math.floor(Date.now() / 1000) }, TEST_BOT_TOKEN)}`;
  const env = () => ({
    DATABASE_URL: scratch.url,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    SIM_CLOCK_OFFSET_S: String(clockOffset),
    // No periodic flush: only what the care itself wrote can be there after the crash.
    SNAPSHOT_INTERVAL_S: '3600',
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server!.url}${path}`, {
      method,
      headers: { authorization: auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    scratch = await createScratch(dialect);
    // Real processes run on the system clock (faked by the time matrix, if at all).
    clockOffset = noonClockOffset(1, Date.now());
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await scratch?.drop();
  });

  /** Items used (starter packs minus what is held) against care counted in the stored pets. */
  async function storedBooks(pets: number): Promise<Record<CareAction, { used: number; counted: number }>> {
    const db = openDatabase(loadConfig({ DATABASE_URL: scratch.url }).database);
    try {
      const player = await db.kysely.selectFrom('players').select('id').where('telegram_id', '=', user.id).executeTakeFirstOrThrow();
      const held = await db.kysely.selectFrom('inventory').select(['item_id', 'quantity']).where('player_id', '=', player.id).execute();
      const rows = await db.kysely.selectFrom('pets').selectAll().where('owner_id', '=', player.id).execute();
      const books = {} as Record<CareAction, { used: number; counted: number }>;
      for (const action of ACTIONS) {
        const item = DEFAULT_ACTION_ITEM[action];
        const quantity = held.find((r) => r.item_id === item)?.quantity ?? 0;
        const counted = rows.reduce((sum, row) => sum + row[`${action}_count`], 0);
        books[action] = { used: (STARTER_PACK[item] ?? 0) * pets - quantity, counted };
      }
      return books;
    } finally {
      await db.close();
    }
  }

  it('keeps the effect of every care that used an item when the server is killed right after answering', async function () {
    this.timeout(60_000);
    server = await spawnServer(env());
    const pet = (await call('POST', '/api/v1/pets', { name: 'Crash', species: 'cat' })).body;
    const hungerBefore = (await call('GET', `/api/v1/pets/${pet.id}`)).body.meters.hunger as number;
    for (const action of ACTIONS) assert.equal((await call('POST', `/api/v1/pets/${pet.id}/care`, { action })).status, 200);
    await server.stop('SIGKILL');

    const books = await storedBooks(1);
    for (const action of ACTIONS) assert.deepEqual(books[action], { used: 1, counted: 1 }, action);

    server = await spawnServer(env());
    const after = (await call('GET', `/api/v1/pets/${pet.id}`)).body;
    assert.deepEqual(after.careCounts, { feed: 1, play: 1, clean: 1, heal: 1, overfeed: 0 });
    assert.ok(after.meters.hunger > hungerBefore + 10, `fed: hunger ${after.meters.hunger} after ${hungerBefore}`);
    await server.stop('SIGKILL');
    server = undefined;
  });

  it('never has an item used without its care, wherever a kill -9 falls among concurrent care', async function () {
    this.timeout(120_000);
    // A fresh player with three pets, each cared for four ways at once; the process dies after
    // the k-th answer (k = 0: before any). Every item gone from the bag must be in a pet.
    user = { id: 3102, first_name: 'Lu' };
    let pets = 0;
    for (const killAfter of [0, 3, 7]) {
      server = await spawnServer(env());
      if (pets === 0) {
        for (const name of ['Ada', 'Bea', 'Cy']) assert.equal((await call('POST', '/api/v1/pets', { name, species: 'bunny' })).status, 201);
        pets = 3;
      }
      const ids = ((await call('GET', '/api/v1/pets')).body.items as Array<{ id: string }>).map((p) => p.id);
      let answered = 0;
      const killed = new Promise<void>((resolve) => {
        const check = () => {
          if (answered >= killAfter) void server!.stop('SIGKILL').then(() => resolve());
        };
        check();
        for (const id of ids) {
          for (const action of ACTIONS) {
            call('POST', `/api/v1/pets/${id}/care`, { action }).then(
              () => {
                answered += 1;
                check();
              },
              () => undefined,
            );
          }
        }
      });
      await killed;
      const books = await storedBooks(pets);
      for (const action of ACTIONS) assert.equal(books[action].used, books[action].counted, `${action} after a kill at answer ${killAfter}: ${JSON.stringify(books)}`);
    }
    server = undefined;
  });
});
