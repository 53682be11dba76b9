/**
 * 1,000 concurrent minigame sessions (a third each of treats, bubbles and ball) ticking at
 * `MINIGAME_TICK_HZ` in one process, each with a player tapping at a human rate (about 3
 * taps a second, half of them on a target), and each tick's targets sampled as the rooms
 * read them for their state. Ended rounds are restarted so the count stays at 1,000.
 *
 *   npm run bench:minigames -- --sessions=1000 --seconds=15
 *
 * Two measurements:
 * - the tick itself, timed tick by tick over simulated time (ms per tick, p50/p99);
 * - a real-time run: a 20 Hz timer drives the same work for `--seconds`, and the process's
 *   CPU time over that wall time is the share of a core it used. The baseline is the same
 *   timer with no sessions (the floor of a 20 Hz loop); the target is a share of at most
 *   0.25 of one core for 1,000 sessions.
 */
import { performance } from 'node:perf_hooks';
import { MINIGAME_KINDS, MINIGAME_TICK_HZ, type MinigameKind } from '../shared/minigames.js';
import { createRng } from '../sim/rng.js';
import {
  TARGET_BALL,
  createGameWorld,
  dropSession,
  startSession,
  tapAt,
  tickGames,
  type GameSession,
  type GameWorld,
} from '../sim/minigames/index.js';
import { emit, log, median, parseFlags, percentile, phase, round, runBench, selfCpuSeconds, sleep } from './lib.js';

const flags = parseFlags({ sessions: 1000, seconds: 15, tapsPerSecond: 3, seed: 7 });
const DT = 1 / MINIGAME_TICK_HZ;
const CORE_SHARE_TARGET = 0.25;

interface Bench {
  world: GameWorld;
  sessions: GameSession[];
  seqs: number[];
  tick(): void;
}

function setup(count: number): Bench {
  const world = createGameWorld({ capacity: count * 16 });
  const rng = createRng(flags.seed);
  const kind = (i: number): MinigameKind => MINIGAME_KINDS[i % MINIGAME_KINDS.length] as MinigameKind;
  const sessions = Array.from({ length: count }, (_, i) => startSession(world, kind(i), rng.int(2 ** 31)));
  const seqs = sessions.map(() => 0);
  const tapChance = flags.tapsPerSecond * DT;
  let sampled = 0;
  const tick = () => {
    tickGames(world, DT);
    const { Position, Target } = world.components;
    for (let i = 0; i < sessions.length; i++) {
      let session = sessions[i] as GameSession;
      if (session.ended) {
        dropSession(world, session);
        session = startSession(world, session.kind, rng.int(2 ** 31));
        sessions[i] = session;
        seqs[i] = 0;
      }
      // What a room reads for its state every tick.
      for (const eid of session.targets) sampled += (Position.x[eid] as number) > -1 ? 1 : 0;
      if (rng.next() >= tapChance) continue;
      const seq = (seqs[i] = (seqs[i] as number) + 1);
      const target = rng.next() < 0.5 ? session.targets.values().next() : { done: true as const, value: undefined };
      if (!target.done && Target.kind[target.value] !== TARGET_BALL) {
        tapAt(world, session, seq, Position.x[target.value] as number, Position.y[target.value] as number, world.time);
      } else {
        tapAt(world, session, seq, rng.next(), rng.next() * 1.6, world.time);
      }
    }
    world.ended.length = 0;
    if (sampled < 0) log('unreachable');
  };
  return { world, sessions, seqs, tick };
}

/** Runs `work` from a 20 Hz timer for `seconds` and returns the CPU share of one core it used. */
async function realTimeShare(work: () => void, seconds: number): Promise<{ share: number; ticks: number; lagMsP99: number }> {
  const cpu0 = selfCpuSeconds();
  const wall0 = performance.now();
  let ticks = 0;
  const lags: number[] = [];
  let expected = performance.now() + 1000 / MINIGAME_TICK_HZ;
  const timer = setInterval(() => {
    const at = performance.now();
    lags.push(Math.max(0, at - expected));
    expected = at + 1000 / MINIGAME_TICK_HZ;
    work();
    ticks++;
  }, 1000 / MINIGAME_TICK_HZ);
  await sleep(seconds * 1000);
  clearInterval(timer);
  const wall = (performance.now() - wall0) / 1000;
  return { share: (selfCpuSeconds() - cpu0) / wall, ticks, lagMsP99: percentile(lags, 0.99) };
}

async function main(): Promise<void> {
  log(`minigames bench: ${flags.sessions} sessions at ${MINIGAME_TICK_HZ} Hz, ${flags.tapsPerSecond} taps/s each`);
  phase('warm-up');
  const bench = setup(flags.sessions);
  // Warm up: fill the fields (treats take a few seconds to fall) and let V8 optimise.
  for (let i = 0; i < 10 * MINIGAME_TICK_HZ; i++) bench.tick();
  const targets = bench.sessions.reduce((n, s) => n + s.targets.size, 0);
  log(`warm: ${targets} targets on the fields`);

  phase('tick timing');
  const times: number[] = [];
  for (let i = 0; i < 30 * MINIGAME_TICK_HZ; i++) {
    const t0 = performance.now();
    bench.tick();
    times.push(performance.now() - t0);
  }
  const tickMsMedian = median(times);
  const tickMsP99 = percentile(times, 0.99);
  log(`tick: median ${round(tickMsMedian)} ms, p99 ${round(tickMsP99)} ms`);

  log(`idle baseline: a ${MINIGAME_TICK_HZ} Hz timer with no work for ${flags.seconds} s`);
  phase('idle baseline');
  const idle = await realTimeShare(() => undefined, flags.seconds);
  log(`real time: ${flags.sessions} sessions for ${flags.seconds} s`);
  phase('real time');
  const loaded = await realTimeShare(() => bench.tick(), flags.seconds);
  const taps = bench.sessions.reduce((n, s) => n + s.taps, 0);
  log(`cpu share ${round(loaded.share)} (idle ${round(idle.share)}), ticks ${loaded.ticks}`);

  const met = loaded.share <= CORE_SHARE_TARGET;
  emit({
    bench: 'minigames',
    sessions: flags.sessions,
    tickHz: MINIGAME_TICK_HZ,
    tapsPerSecondPerSession: flags.tapsPerSecond,
    targetsOnField: targets,
    tickMsMedian: round(tickMsMedian, 4),
    tickMsP99: round(tickMsP99, 4),
    usPerSessionTick: round((tickMsMedian * 1000) / flags.sessions, 3),
    coreShare: round(loaded.share, 4),
    idleCoreShare: round(idle.share, 4),
    timerLagMsP99: round(loaded.lagMsP99, 2),
    ratio: round(loaded.share / CORE_SHARE_TARGET, 3),
    ratioDefinition: 'core share used by the sessions / the 0.25 budget (idle 20 Hz timer reported as idleCoreShare)',
    tapsInLastSessions: taps,
    target: 'coreShare <= 0.25',
    met,
  });
}

runBench('minigames', main);
