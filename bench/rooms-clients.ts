/**
 * Client side of bench/rooms.ts, run as a separate process: N colyseus.js clients, each a
 * different Telegram user with validly signed initData, each adopting one pet over REST and
 * joining its own home room. Joins ramp up in batches; then, for the steady phase, every
 * state patch is timed against the sim instant it carries (`state.serverTime`, epoch ms on
 * the same machine clock). Control messages go to the parent on stdout (see lib.ts):
 * `joined` after the ramp, `steadyStart`, then `result`. After `result` the clients stay
 * connected until SIGTERM, so the parent can shut the server down under load.
 */
import type { Client, Room } from 'colyseus.js';
import { signInitData } from '../server/auth/init-data.js';
import { ROOM_HOME } from '../shared/protocol.js';
import type { SyncedHome } from '../shared/room-state.js';
import { log, median, nowMs, parseFlags, percentile, round, sendToParent, sleep } from './lib.js';
import { TicketClient } from '../client/src/net/ticket-client.js';

const flags = parseFlags({
  url: 'http://127.0.0.1:2567',
  clients: 2000,
  batch: 50,
  batchPauseMs: 100,
  settleS: 5,
  steadyS: 25,
  botToken: '',
  idBase: 800_000_000,
});


interface Player {
  index: number;
  initData: string;
  client: Client;
  room: Room<SyncedHome> | null;
  lastServerTime: number;
  lastHunger: number;
  lastAge: number;
}

const stats = {
  measuring: false,
  shuttingDown: false,
  latenciesMs: [] as number[],
  patches: 0,
  patchesHungerChanged: 0,
  patchesAgeChanged: 0,
  joinErrors: [] as string[],
  createErrors: [] as string[],
  disconnects: 0,
  roomErrors: 0,
  stageMessages: 0,
};

const httpBase = flags.url.replace(/\/$/, '');
const wsBase = httpBase.replace(/^http/, 'ws');

/** A single-use room ticket for the player of `initData`, as the Mini App gets one before joining. */
async function roomTicket(initData: string): Promise<string> {
  const res = await fetch(`${httpBase}/api/v1/rooms/tickets`, { method: 'POST', headers: { authorization: `tma ${initData}` } });
  if (res.status !== 201) throw new Error(`room ticket: HTTP ${res.status}`);
  return ((await res.json()) as { ticket: string }).ticket;
}

async function createPet(p: Player): Promise<void> {
  const res = await fetch(`${httpBase}/api/v1/pets`, {
    method: 'POST',
    headers: { authorization: `tma ${p.initData}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Pet ${p.index}` }),
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/pets answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer().catch(() => undefined);
}

function watch(p: Player, room: Room<SyncedHome>): void {
  room.onStateChange((state) => {
    const received = Date.now();
    const serverTime = state.serverTime;
    if (serverTime === p.lastServerTime) return;
    p.lastServerTime = serverTime;
    let hunger = NaN;
    let age = NaN;
    state.pets.forEach((pet) => {
      hunger = pet.hunger;
      age = pet.ageSeconds;
    });
    if (stats.measuring) {
      stats.latenciesMs.push(received - serverTime);
      stats.patches++;
      if (hunger !== p.lastHunger) stats.patchesHungerChanged++;
      if (age !== p.lastAge) stats.patchesAgeChanged++;
    }
    p.lastHunger = hunger;
    p.lastAge = age;
  });
  room.onMessage('stageChanged', () => {
    stats.stageMessages++;
  });
  room.onMessage('error', () => {
    stats.roomErrors++;
  });
  room.onMessage('*', () => undefined);
  room.onError(() => {
    stats.roomErrors++;
  });
  room.onLeave(() => {
    p.room = null;
    if (!stats.shuttingDown) stats.disconnects++;
  });
}

async function joinOne(p: Player, joinTimes: number[], createTimes: number[]): Promise<void> {
  const t0 = nowMs();
  try {
    await createPet(p);
  } catch (err) {
    stats.createErrors.push(err instanceof Error ? err.message : String(err));
    return;
  }
  const t1 = nowMs();
  createTimes.push(t1 - t0);
  try {
    const room = await p.client.joinOrCreate<SyncedHome>(ROOM_HOME, {});
    joinTimes.push(nowMs() - t1);
    p.room = room;
    watch(p, room);
  } catch (err) {
    stats.joinErrors.push(err instanceof Error ? err.message : String(err));
  }
}

async function main(): Promise<void> {
  const authDate = Math.floor(Date.now() / 1000);
  const players: Player[] = [];
  for (let i = 0; i < flags.clients; i++) {
    const telegramId = flags.idBase + i;
    const initData = signInitData({ user: { id: telegramId, first_name: `Bench${i}`, language_code: 'en' }, authDate }, flags.botToken);
    const client = new TicketClient(wsBase, () => roomTicket(initData));
    players.push({ index: i, initData, client, room: null, lastServerTime: NaN, lastHunger: NaN, lastAge: NaN });
  }

  const joinTimes: number[] = [];
  const createTimes: number[] = [];
  const rampStart = nowMs();
  for (let start = 0; start < players.length; start += flags.batch) {
    const batch = players.slice(start, start + flags.batch);
    await Promise.all(batch.map((p) => joinOne(p, joinTimes, createTimes)));
    const done = Math.min(start + flags.batch, players.length);
    if (done % (flags.batch * 10) === 0 || done === players.length) {
      log(`joined ${joinTimes.length}/${done} (join p50 ${round(median(joinTimes), 1)} ms, errors ${stats.joinErrors.length + stats.createErrors.length})`);
    }
    if (flags.batchPauseMs > 0) await sleep(flags.batchPauseMs);
  }
  const rampMs = nowMs() - rampStart;
  const connected = players.filter((p) => p.room !== null).length;
  sendToParent({
    joined: connected,
    rampMs: Math.round(rampMs),
    joinMsP50: round(median(joinTimes), 1),
    joinMsP99: round(percentile(joinTimes, 0.99), 1),
    createPetMsP50: round(median(createTimes), 1),
    createPetMsP99: round(percentile(createTimes, 0.99), 1),
    createErrors: stats.createErrors.length,
    joinErrors: stats.joinErrors.length,
    firstError: stats.joinErrors[0] ?? stats.createErrors[0] ?? null,
  });

  await sleep(flags.settleS * 1000);
  stats.measuring = true;
  const steadyStart = nowMs();
  sendToParent({ steadyStart: true });
  await sleep(flags.steadyS * 1000);
  stats.measuring = false;
  const steadyS = (nowMs() - steadyStart) / 1000;
  const stillConnected = players.filter((p) => p.room !== null).length;
  const lat = stats.latenciesMs;
  sendToParent({
    result: {
      steadyS: round(steadyS, 1),
      stillConnected,
      patches: stats.patches,
      patchesPerClientPerS: round(stats.patches / Math.max(1, connected) / steadyS, 3),
      updateLatencyMsP50: round(median(lat), 1),
      updateLatencyMsP99: round(percentile(lat, 0.99), 1),
      updateLatencyMsMax: lat.length > 0 ? lat.reduce((a, b) => (b > a ? b : a), -Infinity) : null,
      hungerChangedShare: round(stats.patchesHungerChanged / Math.max(1, stats.patches), 3),
      ageChangedShare: round(stats.patchesAgeChanged / Math.max(1, stats.patches), 3),
      stageMessages: stats.stageMessages,
      disconnects: stats.disconnects,
      roomErrors: stats.roomErrors,
    },
  });
}

process.once('SIGTERM', () => {
  stats.shuttingDown = true;
  process.exit(0);
});

main().catch((err: unknown) => {
  process.stderr.write(`rooms clients failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
