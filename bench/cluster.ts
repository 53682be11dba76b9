/**
 * The cluster under load: three server processes and an image worker on real Postgres and
 * Redis behind nginx (deploy/nginx, started from the repository's own configuration), against
 * one process of the same build in the same run.
 *
 *   npm run bench:cluster -- --clients=300 --cares=150
 *
 * 1. Baseline: one process (cluster mode, directly). `clients` players join their homes; then
 *    `cares` times a player is cared for over REST on that process, timed from the request to
 *    the change arriving in the player's room (the care latency a player sees).
 * 2. Cluster: the same on three processes behind nginx, but every REST care goes to a process
 *    that does not hold the player's home: it is forwarded to the owner's process over
 *    presence, and the change reaches the room there. The same cares sent to the owner's
 *    process are timed too (the cluster without forwarding: what the shared machine costs).
 *    Event-loop lag p99 of each process is scraped from its /metrics while the clients stay
 *    connected, and before they joined (the floor of a machine running three servers, a
 *    worker, nginx, Redis, Postgres and the clients on its two cores).
 * 3. Listed: 50,000 extra room listings are written into the cluster's room cache, and homes
 *    are joined again: a home is found by its owner's key, so joins cost the same; the time of
 *    one HGETALL of the whole cache (what Colyseus's driver reads on every query) is reported
 *    next to it.
 *
 * Figures: connected clients, lag p99 per process, care latency p50/p99 of both runs and
 * `ratio` = cluster p99 / one-process p99 (target: cluster p99 ≤ 2 × one-process p99 + 10 ms),
 * join p50 with and without the 50,000 listings, and fencing rejections (target 0).
 */
import { randomUUID } from 'node:crypto';
import type { Room } from 'colyseus.js';
import { Redis } from 'ioredis';
import { startCluster, nginxBinary, type TestCluster } from '../test/helpers/cluster.js';
import { TEST_REDIS_URL } from '../test/helpers/services.js';
import { noonClockOffset, type TestUser } from '../test/helpers/test-server.js';
import { emit, log, median, metric, metricSum, nowMs, parseFlags, percentile, phase, round, runBench, scrape, sleep } from './lib.js';

const flags = parseFlags({
  clients: 300,
  cares: 150,
  /** Joins measured with and without the extra listings. */
  joins: 40,
  listings: 50_000,
  steadyS: 10,
});
const CARE_ACTIONS = ['feed', 'play', 'clean'] as const;
const METERS = { feed: 'hunger', play: 'mood', clean: 'cleanliness' } as const;

interface Player {
  user: TestUser;
  petId: string;
  room: Room<any>;
  /** The process that holds the home (its PUBLIC_ADDRESS path, or its port). */
  process: string;
}

function processOf(c: TestCluster, room: Room): string {
  const url = (room as unknown as { connection: { transport: { ws: { url: string } } } }).connection.transport.ws.url;
  return c.nodes.find((n) => url.includes(`/${n.name}/`) || url.includes(new URL(n.url).host))?.name ?? 'unknown';
}

async function joinHome(c: TestCluster, user: TestUser): Promise<Room<any>> {
  const room = await c.client(user).joinOrCreate<any>('home', {});
  room.onMessage('*', () => undefined);
  const deadline = nowMs() + 10_000;
  while (room.state?.pets === undefined) {
    if (nowMs() > deadline) throw new Error('no initial state');
    await sleep(10);
  }
  return room;
}

async function populate(c: TestCluster, count: number, idBase: number): Promise<Player[]> {
  const players: Player[] = [];
  const batch = 25;
  for (let i = 0; i < count; i += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
        const user: TestUser = { id: idBase + i + j, firstName: `Bench${i + j}` };
        const pet = await c.api(user, 'POST', '/api/v1/pets', { name: `B${i + j}`, species: 'cat' });
        if (pet.status !== 201) throw new Error(`adoption: HTTP ${pet.status} ${JSON.stringify(pet.body)}`);
        const room = await joinHome(c, user);
        return { user, petId: pet.body.id as string, room, process: processOf(c, room) };
      }),
    );
    players.push(...made);
  }
  return players;
}

/** REST care on `base` for `player`, timed until the meter rises in the player's room. */
async function timedCare(c: TestCluster, player: Player, base: string, action: (typeof CARE_ACTIONS)[number]): Promise<number | null> {
  const meter = METERS[action];
  const before = player.room.state.pets.get(player.petId)?.[meter] as number;
  const started = nowMs();
  const seen = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      player.room.onStateChange.remove(check);
      reject(new Error('no change in the room within 5 s'));
    }, 5000);
    const check = () => {
      if ((player.room.state.pets.get(player.petId)?.[meter] as number) > before) {
        clearTimeout(timer);
        player.room.onStateChange.remove(check);
        resolve(nowMs() - started);
      }
    };
    player.room.onStateChange(check);
  });
  const res = await c.api(player.user, 'POST', `/api/v1/pets/${player.petId}/care`, { action }, base);
  if (res.status !== 200) {
    seen.catch(() => undefined);
    return null;
  }
  return seen;
}

/** `flags.cares` timed cares, from the `offset`-th care on (each player gets one action after another: no cooldown hit). */
async function careRound(c: TestCluster, players: Player[], pickBase: (p: Player) => string, offset = 0): Promise<{ times: number[]; refused: number }> {
  const times: number[] = [];
  let refused = 0;
  for (let n = 0; n < flags.cares; n++) {
    const i = n + offset;
    const player = players[i % players.length] as Player;
    const action = CARE_ACTIONS[Math.floor(i / players.length) % CARE_ACTIONS.length] as (typeof CARE_ACTIONS)[number];
    const t = await timedCare(c, player, pickBase(player), action);
    if (t === null) refused += 1;
    else times.push(t);
  }
  return { times, refused };
}

async function lagP99ByProcess(c: TestCluster): Promise<Record<string, number>> {
  const worst: Record<string, number> = {};
  const end = nowMs() + flags.steadyS * 1000;
  while (nowMs() < end) {
    await sleep(2500);
    for (const n of c.nodes) {
      if (n.server.proc.exitCode !== null) continue;
      const lag = metric(await scrape(n.url), 'nodejs_eventloop_lag_p99_seconds') * 1000;
      worst[n.name] = round(Math.max(worst[n.name] ?? 0, lag), 1);
    }
  }
  return worst;
}

async function fencingRejections(c: TestCluster): Promise<number> {
  let sum = 0;
  for (const n of c.nodes) sum += metricSum(await scrape(n.url), 'telepets_snapshot_fencing_rejections_total');
  return sum;
}

async function timedJoins(c: TestCluster, players: Player[]): Promise<number[]> {
  const times: number[] = [];
  for (const player of players.slice(0, flags.joins)) {
    await player.room.leave(true);
    const started = nowMs();
    player.room = await joinHome(c, player.user);
    times.push(nowMs() - started);
  }
  return times;
}

runBench(
  'cluster',
  async () => {
    if (!nginxBinary()) throw new Error('nginx is not installed (apt-get install -y nginx)');
    const env = { SIM_CLOCK_OFFSET_S: String(noonClockOffset(1, Date.now())), RATE_LIMIT_API_MAX: '0' };

    phase('baseline: one process');
    const one = await startCluster({ processes: 1, nginx: false, env });
    let base: { times: number[]; refused: number };
    try {
      const players = await populate(one, flags.clients, 700_000_000);
      log(`one process: ${players.length} homes joined`);
      base = await careRound(one, players, () => one.url);
      await Promise.all(players.map((p) => p.room.leave(true)));
    } finally {
      await one.stop();
    }

    phase('cluster: three processes behind nginx');
    const c = await startCluster({ processes: 3, nginx: true, env });
    try {
      // The same processes with nobody connected: the machine's own floor for the lag figures.
      const idleLag = await lagP99ByProcess(c);
      const players = await populate(c, flags.clients, 710_000_000);
      const perProcess: Record<string, number> = {};
      for (const p of players) perProcess[p.process] = (perProcess[p.process] ?? 0) + 1;
      log(`cluster: ${players.length} homes joined: ${JSON.stringify(perProcess)}`);
      // Every care goes to a process that does not hold the home: forwarded to the owner.
      const cluster = await careRound(c, players, (p) => c.nodes.find((n) => n.name !== p.process)?.url ?? c.url);
      // The same cares sent to the home's own process: what the cluster costs without forwarding.
      const direct = await careRound(c, players, (p) => c.nodes.find((n) => n.name === p.process)?.url ?? c.url, flags.cares);
      const lag = await lagP99ByProcess(c);
      const connected = players.filter((p) => p.room.connection.isOpen).length;

      phase('joins with 50,000 listings in the room cache');
      const plainJoins = await timedJoins(c, players);
      const redis = new Redis(TEST_REDIS_URL);
      const cacheKey = `${c.prefix}:roomcaches`;
      let hgetallMs = 0;
      let listedJoins: number[] = [];
      try {
        for (let i = 0; i < flags.listings; i += 1000) {
          const pipeline = redis.pipeline();
          for (let j = i; j < Math.min(i + 1000, flags.listings); j++) {
            const roomId = `bench${j}`;
            pipeline.hset(cacheKey, roomId, JSON.stringify({ clients: 1, locked: false, private: false, maxClients: 25, unlisted: false, createdAt: new Date(0).toISOString(), name: 'home', processId: 'bench-process', roomId, ownerId: randomUUID(), publicAddress: '127.0.0.1:1/p9' }));
          }
          await pipeline.exec();
        }
        const fetches: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = nowMs();
          await redis.hgetall(cacheKey);
          fetches.push(nowMs() - started);
        }
        hgetallMs = median(fetches);
        listedJoins = await timedJoins(c, players.slice(flags.joins));
      } finally {
        for (let i = 0; i < flags.listings; i += 5000) {
          await redis.hdel(cacheKey, ...Array.from({ length: Math.min(5000, flags.listings - i) }, (_, j) => `bench${i + j}`));
        }
        redis.disconnect();
      }
      const rejections = await fencingRejections(c);
      await Promise.all(players.map((p) => p.room.leave(true).catch(() => undefined)));

      const baseP99 = percentile(base.times, 0.99);
      const clusterP99 = percentile(cluster.times, 0.99);
      emit({
        bench: 'cluster',
        processes: c.nodes.length,
        clients: flags.clients,
        connected,
        homesPerProcess: perProcess,
        lagP99MsByProcess: lag,
        idleLagP99MsByProcess: idleLag,
        careSamples: cluster.times.length,
        careRefused: cluster.refused + base.refused + direct.refused,
        careP50Ms: round(median(cluster.times), 1),
        careP99Ms: round(clusterP99, 1),
        oneProcessCareP50Ms: round(median(base.times), 1),
        oneProcessCareP99Ms: round(baseP99, 1),
        ownerProcessCareP50Ms: round(median(direct.times), 1),
        ownerProcessCareP99Ms: round(percentile(direct.times, 0.99), 1),
        ratio: round(clusterP99 / baseP99, 2),
        careTargetMet: clusterP99 <= 2 * baseP99 + 10,
        joinP50Ms: round(median(plainJoins), 1),
        joinP50MsWith50kListings: round(median(listedJoins), 1),
        listings: flags.listings,
        hgetallRoomCacheMs: round(hgetallMs, 1),
        fencingRejections: rejections,
      });
    } finally {
      await c.stop();
    }
  },
  { deadlineS: 900 },
);
