/**
 * One player flooding a room must not stall the others. The real server (`server/main.ts`)
 * runs in one child process, honest players (bench/flood-clients.ts --role=honest) in a
 * second, and the flooder (--role=flooder) in a third, started halfway through:
 *
 *   npm run bench:flood -- --honest=50 --windowS=10 --rate=10000
 *
 * Honest players each send one `care` at a time at a human pace and time the round trip to
 * its answer. The baseline is their round trips in the window before the flood; the figure
 * is their round trips while the flooder sends `--rate` care messages a second, in the same
 * run. The server's event-loop lag is read from its /metrics for both windows. Target:
 * honest care p99 under the flood ≤ 2× the baseline, and the flooder cut off (close 4429)
 * and refused when it comes back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emit, log, median, nextMessage, nowMs, parseFlags, percentile, phase, round, runBench, sleep, spawnTsx, startBenchServer, stopChild, scrape, metric, metricSum, type ChildHandle } from './lib.js';

const flags = parseFlags({
  honest: 50,
  /** Seconds of each window (baseline, then flood). */
  windowS: 10,
  /** Flood rate, messages a second. */
  rate: 10_000,
  /** Pause of an honest player between an answer and its next care, ms. */
  pauseMs: 400,
});
const BOT_TOKEN = '123456789:BENCH_token_xxxxxxxxxxxxxxxxxxxx';
const RATIO_TARGET = 2;
/** Seconds at the start of the honest run not counted: joins settle, and each player's first four cares (stored with their items) are done, so both windows see the same kind of care. */
const WARMUP_S = 4;

/** The figures of a scrape: event-loop lag since the last scrape, drops and cut-offs so far. */
async function scrapeLag(base: string): Promise<{ lagP99Ms: number; lagMaxMs: number; dropped: number; cutOff: number }> {
  const m = await scrape(base);
  return {
    lagP99Ms: metric(m, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    lagMaxMs: metric(m, 'nodejs_eventloop_lag_max_seconds') * 1000,
    dropped: metricSum(m, 'room_messages_dropped_total'),
    cutOff: metricSum(m, 'room_clients_cut_off_total'),
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-flood-'));
  const children: ChildHandle[] = [];
  log(`flood bench: ${flags.honest} honest players, windows of ${flags.windowS} s, flood ${flags.rate} msg/s`);
  try {
    phase('server start');
    const { handle: server, base } = await startBenchServer(children, { dbFile: path.join(dir, 'flood.db'), botToken: BOT_TOKEN });
    log(`server on ${base}`);

    phase('honest players join');
    const totalS = WARMUP_S + 2 * flags.windowS + 2;
    const honest = spawnTsx(
      'bench/flood-clients.ts',
      [`--url=${base}`, '--role=honest', `--clients=${flags.honest}`, `--durationS=${totalS}`, `--pauseMs=${flags.pauseMs}`, `--botToken=${BOT_TOKEN}`, '--idBase=910000000'],
      process.env,
      'honest',
    );
    children.push(honest);
    await nextMessage(honest, 'ready', 120_000);
    const honestStart = performance.timeOrigin + nowMs();

    phase('baseline');
    await sleep(WARMUP_S * 1000);
    await scrapeLag(base); // resets the lag histogram: the next read is the baseline window
    const baselineFrom = performance.timeOrigin + nowMs();
    await sleep(flags.windowS * 1000);
    const baselineLag = await scrapeLag(base);
    const baselineTo = performance.timeOrigin + nowMs();

    phase('flood');
    const flooder = spawnTsx(
      'bench/flood-clients.ts',
      [`--url=${base}`, '--role=flooder', `--durationS=${flags.windowS}`, `--rate=${flags.rate}`, `--botToken=${BOT_TOKEN}`, '--idBase=920000000'],
      process.env,
      'flooder',
    );
    children.push(flooder);
    await nextMessage(flooder, 'ready', 60_000);
    await scrapeLag(base);
    const floodResult = (await nextMessage(flooder, 'result', (flags.windowS + 60) * 1000)).result as Record<string, number | boolean | null>;
    const floodLag = await scrapeLag(base);

    phase('results');
    const honestResult = (await nextMessage(honest, 'result', (totalS + 60) * 1000)).result as { samples: Array<[number, number]>; disconnects: number };
    // The flood lasts until the server cuts the flooder off (or the window ends); after that it
    // only knocks once a second. The figure is the honest round trips while it was flooding.
    const floodFrom = Number(floodResult.startedAt);
    const floodingTo = Number(floodResult.floodEndedAt);
    const windowTo = floodFrom + flags.windowS * 1000;
    const inWindow = (from: number, to: number) => honestResult.samples.filter(([at]) => at >= from && at < to).map(([, rtt]) => rtt);
    const baseline = inWindow(baselineFrom, baselineTo);
    const flood = inWindow(floodFrom, floodingTo);
    const afterCutOff = inWindow(floodingTo, windowTo);
    const p99Base = percentile(baseline, 0.99);
    const p99Flood = percentile(flood, 0.99);
    const ratio = p99Flood / p99Base;
    log(`honest care round trips: baseline ${baseline.length} (p99 ${round(p99Base, 1)} ms), while flooding ${flood.length} (p99 ${round(p99Flood, 1)} ms), after the cut-off ${afterCutOff.length}`);

    phase('server shutdown');
    await stopChild(flooder, 10_000);
    await stopChild(honest, 10_000);
    const stopped = await stopChild(server, 30_000);
    const met = ratio <= RATIO_TARGET && floodResult.cutOff === true && Number(floodResult.rejoinsRefused) > 0 && honestResult.disconnects === 0;
    emit({
      bench: 'flood',
      database: 'sqlite',
      arrangement: 'server, honest players and the flooder in three child processes',
      honestPlayers: flags.honest,
      windowS: flags.windowS,
      honestSamplesBaseline: baseline.length,
      honestSamplesFlood: flood.length,
      careRttMsP50Baseline: round(median(baseline), 2),
      careRttMsP99Baseline: round(p99Base, 2),
      careRttMsP50Flood: round(median(flood), 2),
      careRttMsP99Flood: round(p99Flood, 2),
      careRttMsP99AfterCutOff: round(percentile(afterCutOff, 0.99), 2),
      floodingMs: Math.round(floodingTo - floodFrom),
      ratio: round(ratio, 2),
      ratioDefinition: 'honest care round trip p99 while one player floods (until cut off) / the same in the window before, same run',
      lagP99MsBaseline: round(baselineLag.lagP99Ms, 1),
      lagP99MsFlood: round(floodLag.lagP99Ms, 1),
      lagMaxMsFlood: round(floodLag.lagMaxMs, 1),
      floodRateTargetPerS: flags.rate,
      floodSent: floodResult.sent,
      floodSentPerS: round(Number(floodResult.sentPerS), 0),
      floodNotices: floodResult.notices,
      flooderCutOff: floodResult.cutOff,
      flooderCutOffAfterMs: floodResult.cutOffAfterMs === null ? null : Math.round(Number(floodResult.cutOffAfterMs)),
      flooderRejoinsRefused: floodResult.rejoinsRefused,
      flooderRejoined: floodResult.rejoined,
      serverMessagesDropped: floodLag.dropped,
      serverClientsCutOff: floodLag.cutOff,
      honestDisconnects: honestResult.disconnects,
      honestRunStartedAt: new Date(honestStart).toISOString(),
      serverExitCode: stopped.code,
      target: `ratio <= ${RATIO_TARGET}, flooder cut off (4429) and refused when it comes back, no honest player disconnected`,
      met,
    });
  } finally {
    for (const child of children.reverse()) await stopChild(child, 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench('flood', main);
