/**
 * Many players in their home rooms at once: the real server (`server/main.ts`) in one child
 * process, N colyseus.js clients (bench/rooms-clients.ts) in another, this process only
 * orchestrating and scraping the server's GET /metrics.
 *
 *   npm run bench:rooms -- --clients=10000 --steadyS=25
 *
 * The server runs on a scratch SQLite file with SIM_TIME_SCALE=60, so every room's update
 * moves its pet by a game minute and every room sends a patch each second (rooms spread over
 * the second: server/sim-host/sync-scheduler.ts), with the game clock at 08:00 at start. Joins ramp up in
 * batches (each client first adopts its pet over REST). In the steady phase the server's
 * event-loop lag comes from prom-client's default metrics (`nodejs_eventloop_lag_p99_seconds`,
 * a monitorEventLoopDelay histogram that is reset at every scrape), scraped every
 * `scrapeS` seconds: the figure for the target is the worst window's p99. RSS comes from
 * `process_resident_memory_bytes`. The same figures are read once with no clients connected
 * (`idle...`) for reference. At the end the server is sent SIGTERM with the clients
 * still connected, and must exit 0.
 *
 * There is no bare equivalent of a room to compare with, so the target is absolute (the
 * cluster issue's per-process capacity: all clients connected, lag p99 ≤ 50 ms, update
 * latency p99 ≤ 250 ms, RSS ≤ 1.5 GiB); the idle figures are the in-run reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  emit,
  log,
  median,
  nextMessage,
  nowMs,
  parseFlags,
  phase,
  procCpuSeconds,
  round,
  runBench,
  sleep,
  spawnTsx,
  startBenchServer,
  stopChild,
  scrape,
  metric,
  metricSum,
  type ChildHandle,
} from './lib.js';

const flags = parseFlags({
  clients: 2000,
  batch: 50,
  batchPauseMs: 100,
  /** Seconds between the last join and the steady phase (every egg hatches 5 real s after adoption). */
  settleS: 8,
  steadyS: 25,
  scrapeS: 5,
  timeScale: 60,
  /**
   * The game's hour of day when the server starts. Pets sleep 22:00-07:00 game time (meters
   * move a third as fast), and at 60x a game day passes in 24 real minutes: without a fixed
   * hour, one run in three would measure sleeping pets.
   */
  gameHour: 8,
  /** When set, the server runs with --cpu-prof and writes its profile here on exit. */
  serverProfileDir: '',
  /** Node flags for the server, space-separated: by default the heap limit `npm start` sets (docs/scaling.md). */
  serverNodeArgs: '--max-old-space-size=1024',
});
const BOT_TOKEN = '123456789:BENCH_token_xxxxxxxxxxxxxxxxxxxx';
const LAG_P99_TARGET_MS = 50;
const UPDATE_P99_TARGET_MS = 250;
const RSS_TARGET_MIB = 1536;

interface Window {
  lagP99Ms: number;
  lagMaxMs: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

/** SIM_CLOCK_OFFSET_S that puts the game clock at `hour` o'clock now (the server's game clock is wall seconds × scale + offset). */
function clockOffsetFor(hour: number): number {
  const day = 86_400;
  const gameNow = ((Date.now() / 1000) * flags.timeScale) % day;
  return Math.round((((hour * 3600 - gameNow) % day) + day) % day);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-rooms-'));
  log(`rooms bench: ${flags.clients} clients, batches of ${flags.batch}, steady ${flags.steadyS} s, db ${dir}`);
  const children: ChildHandle[] = [];
  try {
    phase('server start');
    const { handle: server, base } = await startBenchServer(children, {
      dbFile: path.join(dir, 'rooms.db'),
      botToken: BOT_TOKEN,
      env: { SIM_TICK_HZ: '1', SIM_TIME_SCALE: String(flags.timeScale), SIM_CLOCK_OFFSET_S: String(clockOffsetFor(flags.gameHour)) },
      nodeArgs: [
        ...(flags.serverProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.serverProfileDir)}`] : []),
        ...flags.serverNodeArgs.split(' ').filter((arg) => arg !== ''),
      ],
    });
    log(`server on ${base}`);
    // Reference figures of the same server with no clients: one scrape resets the lag
    // histogram, the next reads a window of idle ticking.
    phase('idle baseline');
    await scrape(base);
    await sleep(flags.scrapeS * 1000);
    const idle = await scrape(base);
    const idleRss = metric(idle, 'process_resident_memory_bytes') / 2 ** 20;
    const idleLagP99Ms = metric(idle, 'nodejs_eventloop_lag_p99_seconds') * 1000;
    log(`server up (pid ${server.child.pid}), idle: rss ${round(idleRss, 0)} MiB, lag p99 ${round(idleLagP99Ms, 1)} ms`);

    phase('ramp');
    const clients = spawnTsx(
      'bench/rooms-clients.ts',
      [
        `--url=${base}`,
        `--clients=${flags.clients}`,
        `--batch=${flags.batch}`,
        `--batchPauseMs=${flags.batchPauseMs}`,
        `--settleS=${flags.settleS}`,
        `--steadyS=${flags.steadyS}`,
        `--botToken=${BOT_TOKEN}`,
      ],
      process.env,
      'clients',
    );
    children.push(clients);
    const joined = await nextMessage(clients, 'joined', 20 * 60_000);
    log(`ramp done: ${JSON.stringify(joined)}`);
    const afterRamp = await scrape(base);
    log(`server: colyseus_clients ${metricSum(afterRamp, 'colyseus_clients')}, rooms ${metricSum(afterRamp, 'colyseus_rooms')}, loaded pets ${metric(afterRamp, 'sim_loaded_pets')}`);

    phase('settle');
    await nextMessage(clients, 'steadyStart', (flags.settleS + 60) * 1000);
    // This scrape resets the lag histogram: windows start with the steady phase.
    const first = await scrape(base);
    const serverCpu0 = procCpuSeconds(server.child.pid);
    const clientCpu0 = procCpuSeconds(clients.child.pid);
    const steady0 = nowMs();
    phase('steady');
    let last = first;
    const windows: Window[] = [];
    let result: Record<string, unknown> | null = null;
    const resultPromise = nextMessage(clients, 'result', (flags.steadyS + 120) * 1000).then((m) => {
      result = m;
    });
    while (result === null) {
      await Promise.race([sleep(flags.scrapeS * 1000), resultPromise]);
      last = await scrape(base);
      const w: Window = {
        lagP99Ms: metric(last, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        lagMaxMs: metric(last, 'nodejs_eventloop_lag_max_seconds') * 1000,
        rssMiB: metric(last, 'process_resident_memory_bytes') / 2 ** 20,
        heapUsedMiB: metric(last, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        externalMiB: metric(last, 'nodejs_external_memory_bytes') / 2 ** 20,
      };
      windows.push(w);
      log(`steady +${round((nowMs() - steady0) / 1000, 0)} s: lag p99 ${round(w.lagP99Ms, 1)} ms, max ${round(w.lagMaxMs, 1)} ms, rss ${round(w.rssMiB, 0)} MiB`);
    }
    await resultPromise;
    const steadySeconds = (nowMs() - steady0) / 1000;
    const serverCpuPct = (100 * (procCpuSeconds(server.child.pid) - serverCpu0)) / steadySeconds;
    const clientCpuPct = (100 * (procCpuSeconds(clients.child.pid) - clientCpu0)) / steadySeconds;
    const ticks = metric(last, 'sim_tick_duration_seconds_count') - metric(first, 'sim_tick_duration_seconds_count');
    const tickSeconds = metric(last, 'sim_tick_duration_seconds_sum') - metric(first, 'sim_tick_duration_seconds_sum');
    const r = (result as { result?: Record<string, unknown> } | null)?.result ?? {};
    log(`clients: ${JSON.stringify(r)}`);

    phase('server shutdown');
    log('sending SIGTERM to the server with the clients connected');
    const stopStarted = nowMs();
    const stopped = await stopChild(server, 40_000);
    const shutdownMs = nowMs() - stopStarted;
    log(`server exited with ${stopped.code} after ${round(shutdownMs, 0)} ms${stopped.killed ? ' (killed)' : ''}`);
    await stopChild(clients, 10_000);

    const lagP99s = windows.map((w) => w.lagP99Ms);
    const lagP99Ms = Math.max(...lagP99s);
    const connected = Number(joined.joined);
    const clientErrors = Number(joined.createErrors) + Number(joined.joinErrors) + Number(r.roomErrors ?? 0);
    const disconnects = Number(r.disconnects ?? 0);
    const rssMiB = Math.max(...windows.map((w) => w.rssMiB));
    const met =
      connected === flags.clients &&
      lagP99Ms <= LAG_P99_TARGET_MS &&
      Number(r.updateLatencyMsP99) <= UPDATE_P99_TARGET_MS &&
      rssMiB <= RSS_TARGET_MIB &&
      clientErrors === 0 &&
      disconnects === 0;
    emit({
      bench: 'rooms',
      database: 'sqlite',
      arrangement: 'server (tsx server/main.ts) and clients (bench/rooms-clients.ts) in separate child processes',
      simTimeScale: flags.timeScale,
      gameHourAtStart: flags.gameHour,
      clientsRequested: flags.clients,
      connected,
      rampMs: joined.rampMs,
      joinMsP50: joined.joinMsP50,
      joinMsP99: joined.joinMsP99,
      createPetMsP50: joined.createPetMsP50,
      createPetMsP99: joined.createPetMsP99,
      steadyS: round(steadySeconds, 1),
      patchesPerClientPerS: r.patchesPerClientPerS,
      updateLatencyMsP50: r.updateLatencyMsP50,
      updateLatencyMsP99: r.updateLatencyMsP99,
      updateLatencyMsMax: r.updateLatencyMsMax,
      hungerChangedShare: r.hungerChangedShare,
      lagP99Ms: round(lagP99Ms, 1),
      lagP99MsMedianWindow: round(median(lagP99s), 1),
      lagMaxMs: round(Math.max(...windows.map((w) => w.lagMaxMs)), 1),
      idleLagP99Ms: round(idleLagP99Ms, 1),
      ratio: round(lagP99Ms / idleLagP99Ms, 2),
      ratioDefinition: 'lagP99Ms under load / idleLagP99Ms of the same server with no clients',
      lagWindowS: flags.scrapeS,
      lagNote: 'prom-client monitorEventLoopDelay at 10 ms resolution: an idle loop already reads about 10-13 ms',
      simTickMsMean: ticks > 0 ? round((1000 * tickSeconds) / ticks, 2) : null,
      serverRssMiB: round(rssMiB, 0),
      serverIdleRssMiB: round(idleRss, 0),
      serverHeapUsedMiB: round(Math.max(...windows.map((w) => w.heapUsedMiB)), 0),
      serverExternalMiB: round(Math.max(...windows.map((w) => w.externalMiB)), 0),
      serverCpuPct: Math.round(serverCpuPct),
      clientsCpuPct: Math.round(clientCpuPct),
      clientErrors,
      firstClientError: joined.firstError,
      disconnects,
      stageMessages: r.stageMessages,
      shutdownMs: Math.round(shutdownMs),
      serverExitCode: stopped.code,
      target: `connected == clients, lagP99Ms <= ${LAG_P99_TARGET_MS} (worst ${flags.scrapeS}-s window), updateLatencyMsP99 <= ${UPDATE_P99_TARGET_MS}, serverRssMiB <= ${RSS_TARGET_MIB}, no client errors or disconnects`,
      met,
    });
  } finally {
    for (const child of children.reverse()) await stopChild(child, 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The ramp alone may take up to 20 minutes before it counts as failed.
runBench('rooms', main, { deadlineS: 3600 });
