/**
 * Client side of bench/flood.ts, run as a separate process in one of two roles:
 *
 * - `honest`: N players, each in their own home room, each sending one `care` at a time at a
 *   human pace and timing the round trip to its answer (`cared`, or an `error` such as
 *   CARE_COOLDOWN: both come back through the care service). Reports every sample with its
 *   send time in epoch milliseconds, so the parent can split them by the flood's window.
 * - `flooder`: one player sending `care` at `--rate` messages a second for `--durationS`
 *   seconds (or until cut off), counting the RATE_LIMITED notices, the close code, and its
 *   refused attempts to join again afterwards.
 *
 * Control messages go to the parent on stdout (see lib.ts): `ready`, then `result`.
 */
import type { Room } from 'colyseus.js';
import { signInitData } from '../server/auth/init-data.js';
import { TicketClient } from '../client/src/net/ticket-client.js';
import { CLOSE_RATE_LIMITED, MSG_CARE, MSG_CARED, MSG_ERROR, ROOM_HOME } from '../shared/protocol.js';
import { log, parseFlags, sendToParent, sleep } from './lib.js';

const flags = parseFlags({
  url: 'http://127.0.0.1:2567',
  role: 'honest',
  clients: 50,
  durationS: 25,
  /** Flooder: messages a second. */
  rate: 10_000,
  /** Honest: pause between one answer and the next care, in ms (randomised ±50 %). */
  pauseMs: 400,
  botToken: '',
  idBase: 900_000_000,
});

const httpBase = flags.url.replace(/\/$/, '');
const wsBase = httpBase.replace(/^http/, 'ws');
const epochMs = () => performance.timeOrigin + performance.now();
const ACTIONS = ['feed', 'play', 'clean', 'heal'] as const;

function initDataFor(index: number): string {
  const id = flags.idBase + index;
  return signInitData({ user: { id, first_name: `Flood${index}`, language_code: 'en' }, authDate: Math.floor(Date.now() / 1000) }, flags.botToken);
}

async function call(initData: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${httpBase}${path}`, {
    method,
    headers: { authorization: `tma ${initData}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

interface Player {
  initData: string;
  client: TicketClient;
  petId: string;
}

async function newPlayer(index: number): Promise<Player> {
  const initData = initDataFor(index);
  const pet = await call(initData, 'POST', '/api/v1/pets', { name: `Flood ${index}`, species: 'cat' });
  const client = new TicketClient(wsBase, async () => (await call(initData, 'POST', '/api/v1/rooms/tickets')).ticket as string);
  return { initData, client, petId: pet.id as string };
}

async function honest(): Promise<void> {
  const players = await Promise.all(Array.from({ length: flags.clients }, (_, i) => newPlayer(i)));
  const rooms = await Promise.all(players.map((p) => p.client.joinOrCreate(ROOM_HOME, {})));
  const samples: Array<[number, number]> = [];
  let disconnects = 0;
  let leaving = false;
  const endAt = epochMs() + flags.durationS * 1000;
  sendToParent({ ready: players.length });
  log(`honest: ${players.length} players in their homes, caring for ${flags.durationS} s`);
  await Promise.all(
    rooms.map(async (room: Room, i) => {
      room.onMessage('*', () => undefined);
      room.onLeave(() => {
        if (!leaving) disconnects += 1;
      });
      const petId = (players[i] as Player).petId;
      for (let n = 0; epochMs() < endAt && room.connection.isOpen; n++) {
        const sentAt = epochMs();
        const answered = new Promise<void>((resolve) => {
          const offCared = room.onMessage(MSG_CARED, () => done());
          const offError = room.onMessage(MSG_ERROR, () => done());
          function done() {
            offCared();
            offError();
            resolve();
          }
        });
        room.send(MSG_CARE, { petId, action: ACTIONS[n % ACTIONS.length] });
        await answered;
        samples.push([sentAt, epochMs() - sentAt]);
        await sleep(flags.pauseMs * (0.5 + Math.random()));
      }
    }),
  );
  leaving = true;
  await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
  sendToParent({ result: { samples, disconnects } });
}

async function flooder(): Promise<void> {
  const player = await newPlayer(0);
  const room = await player.client.joinOrCreate(ROOM_HOME, {});
  let notices = 0;
  let closeCode = 0;
  let closedAt = 0;
  room.onMessage(MSG_ERROR, (m: { code: string }) => {
    if (m.code === 'RATE_LIMITED') notices += 1;
  });
  room.onMessage('*', () => undefined);
  room.onLeave((code) => {
    closeCode = code;
    closedAt = epochMs();
  });
  sendToParent({ ready: 1 });
  const startedAt = epochMs();
  const endAt = startedAt + flags.durationS * 1000;
  const perSlice = Math.max(1, Math.round(flags.rate / 100));
  let sent = 0;
  // 10 ms slices of rate/100 messages each, for as long as the server lets the socket live.
  while (epochMs() < endAt && closeCode === 0) {
    const sliceStart = epochMs();
    for (let i = 0; i < perSlice && room.connection.isOpen; i++, sent++) room.send(MSG_CARE, { petId: player.petId, action: 'feed' });
    const left = 10 - (epochMs() - sliceStart);
    await sleep(left > 0 ? left : 0);
  }
  const floodEndedAt = epochMs();
  // Cut off: try to come back once a second for the rest of the window.
  let rejoinsRefused = 0;
  let rejoined = 0;
  while (closeCode !== 0 && epochMs() < endAt) {
    try {
      const again = await player.client.joinOrCreate(ROOM_HOME, {});
      rejoined += 1;
      await again.leave();
    } catch (err) {
      if ((err as Error).message === 'RATE_LIMITED') rejoinsRefused += 1;
    }
    await sleep(1000);
  }
  if (room.connection.isOpen) await room.leave().catch(() => undefined);
  sendToParent({
    result: {
      startedAt,
      floodEndedAt,
      sent,
      sentPerS: sent / ((floodEndedAt - startedAt) / 1000),
      notices,
      closeCode,
      cutOff: closeCode === CLOSE_RATE_LIMITED,
      cutOffAfterMs: closeCode === CLOSE_RATE_LIMITED ? closedAt - startedAt : null,
      rejoinsRefused,
      rejoined,
    },
  });
}

(flags.role === 'flooder' ? flooder() : honest()).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
