/**
 * REST throughput of `GET /api/v1/pets/:id/summary` with valid player auth
 * (`Authorization: tma <initData>`, the pet belongs to the signed user) on the real app,
 * against a bare Fastify route returning a small JSON object, in the same run.
 *
 *   npm run bench:http -- --connections=50 --duration=10 --rounds=3 [--db=postgres]
 *
 * Arrangement: both servers run in child processes (bench/http-server.ts) and autocannon
 * runs here. On 2 cores, a server sharing its event loop with autocannon would be measured
 * together with the load generator's own request building and response parsing, and the
 * second core would sit idle; a child process gives the server one core to itself and
 * autocannon the other, like a real client elsewhere. The baseline uses the same arrangement.
 * Rounds alternate which server goes first; figures are medians over rounds, and `ratio`
 * is the median of the per-round ratios (each round's two runs are back to back).
 *
 * The pet is not in a room, so each request authenticates (HMAC of the initData, cached
 * player lookup), reads the pet row, catches it up with `advance()` and builds the DTO.
 */
import autocannon from 'autocannon';
import { signInitData } from '../server/auth/init-data.js';
import {
  emit,
  log,
  median,
  nextMessage,
  procCpuSeconds,
  parseFlags,
  phase,
  round,
  runBench,
  selfCpuSeconds,
  spawnTsx,
  stopChild,
  type ChildHandle,
} from './lib.js';

const flags = parseFlags({ connections: 50, duration: 10, rounds: 3, warmup: 3, db: 'sqlite', pipelining: 1 });
const BOT_TOKEN = '123456789:BENCH_token_xxxxxxxxxxxxxxxxxxxx';
const RATIO_TARGET = 0.5;
const TELEGRAM_USER_ID = 770_000_001;

interface Run {
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  serverCpuPct: number;
  clientCpuPct: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number, server: ChildHandle): Promise<Run> {
  const cpu0 = procCpuSeconds(server.child.pid);
  const self0 = selfCpuSeconds();
  const result = await autocannon({
    url,
    headers,
    connections: flags.connections,
    pipelining: flags.pipelining,
    duration: seconds,
  });
  const serverCpu = procCpuSeconds(server.child.pid) - cpu0;
  const clientCpu = selfCpuSeconds() - self0;
  return {
    reqPerSec: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuPct: (100 * serverCpu) / result.duration,
    clientCpuPct: (100 * clientCpu) / result.duration,
  };
}

async function startServer(mode: 'app' | 'bare'): Promise<{ handle: ChildHandle; port: number; database: string }> {
  const handle = spawnTsx('bench/http-server.ts', [`--mode=${mode}`, `--db=${flags.db}`, `--botToken=${BOT_TOKEN}`], process.env, mode);
  const ready = await nextMessage(handle, 'ready', 60_000);
  return { handle, port: Number(ready.port), database: typeof ready.database === 'string' ? ready.database : 'none' };
}

function describe(run: Run): string {
  return `${Math.round(run.reqPerSec)} req/s, p50 ${run.latencyP50Ms} ms, p99 ${run.latencyP99Ms} ms, server cpu ${Math.round(run.serverCpuPct)}%, client cpu ${Math.round(run.clientCpuPct)}%`;
}

async function main(): Promise<void> {
  log(`http bench: ${flags.connections} connections, ${flags.warmup} s warm-up + ${flags.rounds} x ${flags.duration} s per server, db ${flags.db}`);
  const servers: ChildHandle[] = [];
  try {
    phase('server start');
    const app = await startServer('app');
    servers.push(app.handle);
    const bare = await startServer('bare');
    servers.push(bare.handle);
    log(`app on port ${app.port} (${app.database}), bare fastify on port ${bare.port}`);

    const initData = signInitData(
      { user: { id: TELEGRAM_USER_ID, first_name: 'Bench', language_code: 'en' }, authDate: Math.floor(Date.now() / 1000) },
      BOT_TOKEN,
    );
    const headers = { authorization: `tma ${initData}` };
    const base = `http://127.0.0.1:${app.port}`;
    const created = await fetch(`${base}/api/v1/pets`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', species: 'cat' }),
    });
    const pet = (await created.json()) as { id?: string };
    if (created.status !== 201 || typeof pet.id !== 'string') throw new Error(`creating the pet failed: ${created.status} ${JSON.stringify(pet)}`);
    const appUrl = `${base}/api/v1/pets/${pet.id}/summary`;
    const check = await fetch(appUrl, { headers });
    const summary = (await check.json()) as { petId?: string; live?: boolean };
    if (check.status !== 200 || summary.petId !== pet.id) throw new Error(`summary check failed: ${check.status} ${JSON.stringify(summary)}`);
    const bareUrl = `http://127.0.0.1:${bare.port}/bare`;
    log(`pet ${pet.id} created; summary answers 200 (live: ${String(summary.live)})`);

    phase('warm-up');
    log('warming up');
    await load(appUrl, headers, flags.warmup, app.handle);
    await load(bareUrl, headers, flags.warmup, bare.handle);

    const appRuns: Run[] = [];
    const bareRuns: Run[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < flags.rounds; r++) {
      phase(`round ${r + 1}`);
      const order = r % 2 === 0 ? (['app', 'bare'] as const) : (['bare', 'app'] as const);
      let a: Run | null = null;
      let b: Run | null = null;
      for (const which of order) {
        if (which === 'app') a = await load(appUrl, headers, flags.duration, app.handle);
        else b = await load(bareUrl, headers, flags.duration, bare.handle);
      }
      if (!a || !b) throw new Error('unreachable');
      log(`round ${r + 1}/${flags.rounds}: app ${describe(a)}`);
      log(`round ${r + 1}/${flags.rounds}: bare ${describe(b)}`);
      appRuns.push(a);
      bareRuns.push(b);
      ratios.push(a.reqPerSec / b.reqPerSec);
    }

    phase('server shutdown');
    const appStop = await stopChild(app.handle, 30_000);
    const bareStop = await stopChild(bare.handle, 10_000);
    log(`servers stopped: app exit ${appStop.code}, bare exit ${bareStop.code}`);

    const med = (runs: Run[], key: keyof Run) => median(runs.map((x) => x[key]));
    const ratio = median(ratios);
    const sum = (runs: Run[], key: 'non2xx' | 'errors') => runs.reduce((acc, x) => acc + x[key], 0);
    const appErrors = sum(appRuns, 'non2xx') + sum(appRuns, 'errors');
    emit({
      bench: 'http',
      route: 'GET /api/v1/pets/:id/summary',
      database: app.database,
      arrangement: 'servers in child processes, autocannon in this process',
      connections: flags.connections,
      pipelining: flags.pipelining,
      durationS: flags.duration,
      rounds: flags.rounds,
      appReqPerSec: Math.round(med(appRuns, 'reqPerSec')),
      appLatencyP50Ms: med(appRuns, 'latencyP50Ms'),
      appLatencyP99Ms: med(appRuns, 'latencyP99Ms'),
      appServerCpuPct: Math.round(med(appRuns, 'serverCpuPct')),
      bareReqPerSec: Math.round(med(bareRuns, 'reqPerSec')),
      bareLatencyP50Ms: med(bareRuns, 'latencyP50Ms'),
      bareLatencyP99Ms: med(bareRuns, 'latencyP99Ms'),
      bareServerCpuPct: Math.round(med(bareRuns, 'serverCpuPct')),
      clientCpuPct: Math.round(median([...appRuns, ...bareRuns].map((x) => x.clientCpuPct))),
      appNon2xx: sum(appRuns, 'non2xx'),
      appErrors: sum(appRuns, 'errors'),
      bareErrors: sum(bareRuns, 'non2xx') + sum(bareRuns, 'errors'),
      serverExitCode: appStop.code,
      ratio: round(ratio, 3),
      target: `ratio >= ${RATIO_TARGET} (app req/s over bare req/s) with no errors`,
      met: ratio >= RATIO_TARGET && appErrors === 0,
    });
  } finally {
    for (const s of servers) await stopChild(s, 10_000);
  }
}

runBench('http', main);
