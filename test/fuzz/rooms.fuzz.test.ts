/**
 * Fuzzes the home room with real colyseus.js clients: for every client message type in
 * shared/protocol.ts (and types that do not exist), generated payloads, payloads the schemas
 * refuse, and raw frames of garbage bytes written straight to the WebSocket.
 *
 * Refused messages leave the database and the room's bag exactly as they were; no handler
 * ever fails with INTERNAL; the room stays open (or closes the one sender, never the room);
 * the server answers /healthz and seats a new client afterwards.
 *
 * The test paces its frames under the room's message budget (ROOM_MESSAGE_BUDGET, at 80 %),
 * so that every frame reaches the room and its answer can be awaited: over budget a frame is
 * dropped silently, which the room-hardening tests cover.
 *
 * FUZZ_RUNS scales the runs (default 4: 32 refused batches, 16 valid ones); FUZZ_SEED fixes them.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Room } from 'colyseus.js';
import { Value } from 'typebox/value';
import { Protocol } from '@colyseus/core';
import {
  CareMessageSchema,
  GameQuitMessageSchema,
  GameStartMessageSchema,
  MSG_CARE,
  MSG_ERROR,
  MSG_GAME_QUIT,
  MSG_GAME_START,
  MSG_TAP,
  MSG_WAKE,
  ROOM_MESSAGE_BUDGET,
  TapMessageSchema,
  WakeMessageSchema,
} from '../../shared/protocol.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { clientFor, joinHome, waitFor } from '../helpers/rooms.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';
import { FUZZ_RUNS, fuzzTimeout, anyString, edgeNumber, fcOptions, fromSchema, hostileString, pollutingObject, stateSnapshot, type JsonSchema } from './fuzz-kit.js';

/** Every client → server message type and its payload schema. */
const MESSAGE_SCHEMAS: Record<string, JsonSchema> = {
  [MSG_CARE]: CareMessageSchema,
  [MSG_WAKE]: WakeMessageSchema,
  [MSG_GAME_START]: GameStartMessageSchema,
  [MSG_TAP]: TapMessageSchema,
  [MSG_GAME_QUIT]: GameQuitMessageSchema,
};
const TYPES = Object.keys(MESSAGE_SCHEMAS);
/** The type of the probe: unknown, so the room answers it at once with UNKNOWN_MESSAGE. */
const PROBE = 'fuzzProbe';

type Frame = { kind: 'message'; type: string | number; payload: unknown } | { kind: 'bytes'; type: string; bytes: Uint8Array } | { kind: 'raw'; bytes: Uint8Array };

/** Payloads of any shape msgpack carries, hostile ones included. */
const anyPayload: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  pollutingObject,
  hostileString.map((v) => v.slice(0, 2000)),
  edgeNumber,
  fc.uint8Array({ maxLength: 64 }),
  fc.constant(undefined),
  fc.dictionary(anyString(12), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 6 }),
);

/** Raw WebSocket frames: random bytes, often behind a real protocol byte so they get past the first check. */
const rawFrame: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(Protocol.ROOM_DATA, Protocol.ROOM_DATA, Protocol.ROOM_DATA_BYTES, Protocol.JOIN_ROOM, Protocol.ROOM_STATE, Protocol.ERROR, 0, 255, 200),
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom(0, 0, 0, 1100, 70_000),
  )
  .map(([first, rest, pad]) => Uint8Array.from([first, ...rest, ...new Uint8Array(pad).fill(0xa5)]));

/** A frame the room must refuse: a payload its type's schema refuses, an unknown type, raw bytes. */
function refusedFrame(ids: () => { petId: string; gameId: string }): fc.Arbitrary<Frame> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...TYPES), anyPayload, fc.nat())
        .map(([type, payload, pick]): Frame => {
          // Half of the time the payload carries a real id, so only the rest of it is wrong.
          if (payload && typeof payload === 'object' && !Array.isArray(payload) && !(payload instanceof Uint8Array) && pick % 2 === 0) {
            const { petId, gameId } = ids();
            payload = { petId, gameId, ...(payload) };
          }
          return { kind: 'message', type, payload };
        })
        .filter((f) => f.kind === 'message' && !Value.Check(MESSAGE_SCHEMAS[f.type as string] as never, f.payload)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(hostileString.map((v) => v.slice(0, 200)), fc.integer()), anyPayload).map(([type, payload]): Frame => ({ kind: 'message', type, payload })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.uint8Array({ maxLength: 200 })).map(([type, bytes]): Frame => ({ kind: 'bytes', type, bytes })) },
    { weight: 3, arbitrary: rawFrame.map((bytes): Frame => ({ kind: 'raw', bytes })) },
  );
}

/** A frame built from the type's schema with the real pet and game ids: often accepted. */
function validFrame(ids: () => { petId: string; gameId: string }): fc.Arbitrary<Frame> {
  return fc.constantFrom(...TYPES).chain((type) =>
    fromSchema(MESSAGE_SCHEMAS[type]).map((payload): Frame => {
      const { petId, gameId } = ids();
      const real = payload && typeof payload === 'object' ? { ...(payload), ...('petId' in (payload) ? { petId } : {}), ...('gameId' in (payload) ? { gameId } : {}) } : payload;
      return { kind: 'message', type, payload: real };
    }),
  );
}

/** A local copy of the room's token buckets at 80 % of their rates, to stay within them. */
class Pacer {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number; burst: number }>();
  private bucket(key: string, rate: { ratePerSecond: number; burst: number }) {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: Math.floor(rate.burst * 0.8), at: performance.now(), rate: rate.ratePerSecond * 0.8, burst: Math.floor(rate.burst * 0.8) }));
    b.tokens = Math.min(b.burst, b.tokens + ((performance.now() - b.at) / 1000) * b.rate);
    b.at = performance.now();
    return b;
  }
  /** Waits until a frame of `type` fits both the overall bucket and its type's, and takes it. */
  async take(type: string | null): Promise<void> {
    // Own properties only: a type named "toString" or "__proto__" has no bucket of its own.
    const own = type !== null && Object.hasOwn(ROOM_MESSAGE_BUDGET.perType, type) ? ROOM_MESSAGE_BUDGET.perType[type] : undefined;
    for (;;) {
      const overall = this.bucket('*', ROOM_MESSAGE_BUDGET.overall);
      const typed = own ? this.bucket(type!, own) : undefined;
      if (overall.tokens >= 1 && (!typed || typed.tokens >= 1)) {
        overall.tokens -= 1;
        if (typed) typed.tokens -= 1;
        return;
      }
      const wait = Math.max((1 - overall.tokens) / overall.rate, typed ? (1 - typed.tokens) / typed.rate : 0);
      await new Promise((r) => setTimeout(r, Math.ceil(wait * 1000) + 5));
    }
  }
}

/** The sum of a counter's series whose labels contain `match`, from the app's Prometheus text. */
async function counter(s: TestServer, name: string, match = ''): Promise<number> {
  const text = await s.app.metrics.registry.metrics();
  let sum = 0;
  for (const line of text.split('\n')) if ((line.startsWith(`${name} `) || line.startsWith(`${name}{`)) && line.includes(match)) sum += Number(line.split(' ').pop());
  return sum;
}

describeEachDialect('fuzz: home room messages', (dialect) => {
  let s: TestServer;
  let n = 0;
  const newUser = (): TestUser => ({ id: 9_900_000 + dialect.length * 10_000 + ++n, firstName: `Fuzz${n}` });

  /** An owner in their home with a pet, and the answers the room sends them. */
  interface Seat {
    user: TestUser;
    room: Room<any>;
    petId: string;
    errors: string[];
    probes: number;
    closed: number | null;
  }

  const seat = async (): Promise<Seat> => {
    const user = newUser();
    const pet = await s.api(user, 'POST', '/api/v1/pets', { name: 'Fuzzy', species: 'cat' });
    assert.equal(pet.status, 201, JSON.stringify(pet.body));
    const room = await joinHome(s, user);
    await waitFor(() => room.state.pets.get(pet.body.id), 'pet in room');
    const seated: Seat = { user, room, petId: pet.body.id, errors: [], probes: 0, closed: null };
    room.onMessage(MSG_ERROR, (m: { code: string }) => {
      seated.errors.push(m.code);
      if (m.code === 'UNKNOWN_MESSAGE') seated.probes += 1;
    });
    room.onLeave((code) => {
      seated.closed = code;
    });
    return seated;
  };

  /** The guarded state once the event relay has handled every event so far (its effects land late). */
  const settledState = async () => {
    await s.app.eventLog.relay.drain();
    return stateSnapshot(s.app.db);
  };

  const send = (room: Room<any>, frame: Frame) => {
    if (frame.kind === 'message') room.send(frame.type, frame.payload);
    else if (frame.kind === 'bytes') room.sendBytes(frame.type, frame.bytes);
    else room.connection.send(frame.bytes);
  };
  /** The type the room's budget counts a frame under (null: the overall bucket only). */
  const budgetType = (frame: Frame) => (frame.kind === 'raw' ? null : String(frame.type));

  /** Sends the frames, then a probe, and waits for the probe's answer or for the room to close. */
  const deliver = async (at: Seat, pacer: Pacer, frames: Frame[]) => {
    for (const frame of frames) {
      await pacer.take(budgetType(frame));
      if (at.closed !== null || !at.room.connection.isOpen) return;
      send(at.room, frame);
    }
    await pacer.take(PROBE);
    if (at.closed !== null || !at.room.connection.isOpen) return;
    const probes = at.probes;
    at.room.send(PROBE, {});
    await waitFor(() => at.probes > probes || at.closed !== null, 'the probe answered or the room closed');
  };

  before(async function () {
    this.timeout(60_000);
    s = await startTestServer({ dialect, env: { RATE_LIMIT_API_MAX: '0' } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('refuses generated bad payloads and garbage frames without changing anything or failing', async function () {
    this.timeout(fuzzTimeout(300_000));
    let at = await seat();
    let pacer = new Pacer();
    const internalBefore = await counter(s, 'room_messages_total', 'outcome="INTERNAL"');
    await fc.assert(
      fc.asyncProperty(fc.array(refusedFrame(() => ({ petId: at.petId, gameId: at.room.state.game?.id ?? 'g1' })), { minLength: 1, maxLength: 4 }), async (frames) => {
        if (at.closed !== null) {
          // A garbage frame may end its sender's connection (a LEAVE_ROOM byte, an undecodable
          // protocol frame): the sender goes, the room and the server stay.
          at = await seat();
          pacer = new Pacer();
        }
        const before = await settledState();
        // The room shows the stored coins (the welcome grant of a new seat reaches it late).
        const stored = (await s.api(at.user, 'GET', '/api/v1/inventory')).body.coins as number;
        const seated = at;
        await waitFor(() => seated.closed !== null || seated.room.state.coins === stored, 'the room shows the stored coins');
        const bag = JSON.stringify([at.room.state.coins, [...at.room.state.inventory.entries()]]);
        await deliver(at, pacer, frames);
        assert.equal(await settledState(), before, `refused frames changed the database: ${show(frames)}`);
        if (at.closed === null) assert.equal(JSON.stringify([at.room.state.coins, [...at.room.state.inventory.entries()]]), bag, 'refused frames changed the bag');
        assert.ok(!at.errors.includes('INTERNAL'), `a handler failed: ${show(frames)}`);
        assert.notEqual(at.closed, 4429, 'paced frames never cut the client off');
      }),
      fcOptions(FUZZ_RUNS * 8),
    );
    assert.equal(await counter(s, 'room_messages_total', 'outcome="INTERNAL"'), internalBefore, 'no room message failed with INTERNAL');
    await stillServing(at);
  });

  it('takes generated valid-looking messages of every type without failing', async function () {
    this.timeout(fuzzTimeout(300_000));
    const at = await seat();
    const pacer = new Pacer();
    const internalBefore = await counter(s, 'room_messages_total', 'outcome="INTERNAL"');
    await fc.assert(
      fc.asyncProperty(fc.array(validFrame(() => ({ petId: at.petId, gameId: at.room.state.game?.id ?? 'g1' })), { minLength: 1, maxLength: 4 }), async (frames) => {
        await deliver(at, pacer, frames);
        assert.equal(at.closed, null, `the owner was disconnected: ${show(frames)}`);
        assert.ok(!at.errors.includes('INTERNAL'), `a handler failed: ${show(frames)}`);
      }),
      fcOptions(FUZZ_RUNS * 2),
    );
    assert.equal(await counter(s, 'room_messages_total', 'outcome="INTERNAL"'), internalBefore, 'no room message failed with INTERNAL');
    // Money never went negative or out of step with the room's bag.
    const holdings = (await s.api(at.user, 'GET', '/api/v1/inventory')).body;
    assert.ok(holdings.coins >= 0, JSON.stringify(holdings));
    await waitFor(() => at.room.state.coins === holdings.coins, 'the room shows the stored coins');
    await stillServing(at);
  });

  it('refuses owner-only messages from a spectator without changing anything', async function () {
    this.timeout(fuzzTimeout(120_000));
    const owner = await seat();
    const friend = newUser();
    const code = (await s.api(owner.user, 'GET', '/api/v1/me')).body.inviteCode as string;
    assert.equal((await s.api(friend, 'POST', '/api/v1/friends', { inviteCode: code })).status, 201);
    const room = await clientFor(s, friend).joinOrCreate<any>('home', { ownerId: owner.room.state.ownerId });
    const spectator: Seat = { user: friend, room, petId: owner.petId, errors: [], probes: 0, closed: null };
    room.onMessage('*', () => undefined);
    room.onMessage(MSG_ERROR, (m: { code: string }) => {
      spectator.errors.push(m.code);
      if (m.code === 'UNKNOWN_MESSAGE') spectator.probes += 1;
    });
    room.onLeave((c) => {
      spectator.closed = c;
    });
    const pacer = new Pacer();
    await fc.assert(
      fc.asyncProperty(fc.array(validFrame(() => ({ petId: owner.petId, gameId: owner.room.state.game?.id ?? 'g1' })), { minLength: 1, maxLength: 3 }), async (frames) => {
        const before = await settledState();
        const errors = spectator.errors.length;
        await deliver(spectator, pacer, frames);
        assert.equal(await settledState(), before, `a spectator changed the database: ${show(frames)}`);
        const answers = spectator.errors.slice(errors).filter((c) => c !== 'UNKNOWN_MESSAGE');
        assert.equal(answers.length, frames.length, `every frame answered: ${answers.join(',')}`);
        for (const c of answers) assert.ok(c === 'FORBIDDEN' || c === 'BAD_MESSAGE', c);
      }),
      fcOptions(FUZZ_RUNS * 2),
    );
    await room.leave();
    await stillServing(owner);
  });

  /** The room still answers its sender (when connected), and the server a new client and /healthz. */
  async function stillServing(at: Seat) {
    if (at.closed === null) await deliver(at, new Pacer(), []);
    const health = await s.api(null, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const fresh = await seat();
    await deliver(fresh, new Pacer(), []);
    assert.equal(fresh.closed, null);
    await fresh.room.leave();
    if (at.closed === null) await at.room.leave();
  }
});

function show(frames: Frame[]): string {
  return JSON.stringify(frames, (_k, v) => (v instanceof Uint8Array ? `bytes(${v.byteLength}):${Buffer.from(v.subarray(0, 24)).toString('hex')}` : v)).slice(0, 600);
}
