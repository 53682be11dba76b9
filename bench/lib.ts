/**
 * Shared bits of the benchmark scripts: CLI flags, statistics, progress on stderr and the
 * one JSON result line on stdout. Every script prints progress to stderr only, so stdout
 * carries exactly one line that tools can parse.
 */
import { ChildProcess as ChildProcessClass, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

export type FlagValue = number | string | boolean;

/**
 * Parses `--name=value` (and bare `--name` for booleans) over `defaults`; each value keeps
 * the type of its default. Unknown flags and bad numbers exit with a usage message.
 */
export function parseFlags<T extends Record<string, FlagValue>>(defaults: T, argv: readonly string[] = process.argv.slice(2)): T {
  const out: Record<string, FlagValue> = { ...defaults };
  const usage = () =>
    `flags: ${Object.entries(defaults)
      .map(([k, v]) => `--${k}=${String(v)}`)
      .join(' ')}`;
  for (const arg of argv) {
    const match = /^--([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || name === undefined || !(name in defaults)) {
      if (arg === '--help' || arg === '-h') {
        process.stderr.write(`${usage()}\n`);
        process.exit(0);
      }
      process.stderr.write(`unknown argument ${arg}\n${usage()}\n`);
      process.exit(2);
    }
    const raw = match[2];
    const def = defaults[name];
    if (typeof def === 'number') {
      const value = Number(raw?.replace(/_/g, ''));
      if (raw === undefined || raw === '' || !Number.isFinite(value)) {
        process.stderr.write(`--${name} needs a number (got ${raw ?? 'nothing'})\n`);
        process.exit(2);
      }
      out[name] = value;
    } else if (typeof def === 'boolean') {
      out[name] = raw === undefined || !/^(0|false|no|off)$/i.test(raw);
    } else {
      out[name] = raw ?? '';
    }
  }
  return out as T;
}

/** Comma-separated numbers, e.g. `--pets=100000,1000000`. */
export function parseNumberList(raw: string): number[] {
  const values = raw
    .split(',')
    .map((s) => s.trim().replace(/_/g, ''))
    .filter((s) => s !== '')
    .map(Number);
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) {
    process.stderr.write(`not a list of positive numbers: ${raw}\n`);
    process.exit(2);
  }
  return values;
}

/** Value at quantile `q` (0..1) by linear interpolation; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Rounds to `digits` significant decimals after the point (keeps JSON short). */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Progress line on stderr, prefixed with seconds since the script started. */
export function log(message: string): void {
  process.stderr.write(`[${(performance.now() / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

/** Writes the single result line on stdout (NaN and Infinity become null); the process should end soon after (see `runBench`). */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  guard.emitted = true;
  armExitGrace();
}

/** Reports a failed run: the stack on stderr and a result line saying so on stdout; the exit code becomes 1. */
export function fail(bench: string, err: unknown): void {
  process.exitCode = 1;
  process.stderr.write(`${bench} bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  emit({ bench, error: err instanceof Error ? err.message : String(err), phase: guard.phase, met: false });
}

// ---- the guard: every run ends by itself, or says why not and exits non-zero ------------

/** Default overall deadline of a bench (`BENCH_DEADLINE_S` overrides). */
const DEFAULT_DEADLINE_S = 1800;
/** How long a bench may take to end after its result line (`BENCH_EXIT_GRACE_S` overrides). */
const DEFAULT_EXIT_GRACE_S = 10;
/** How long a child gets to stop on SIGTERM when the guard ends a run. */
const CHILD_STOP_GRACE_MS = 5000;

const guard = {
  bench: '',
  phase: 'starting',
  emitted: false,
  graceArmed: false,
  ending: false,
  children: new Set<ChildProcess>(),
};

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`${name} must be a positive number of seconds (got ${raw})\n`);
    process.exit(2);
  }
  return value;
}

/** Names the step a bench is in; the deadline message and a failure's result line say it. */
export function phase(name: string): void {
  guard.phase = name;
}

/**
 * What keeps the event loop alive, for a message: resource types with counts (Node's own
 * names: Timeout, TCPSocketWrap, TCPServerWrap, ProcessWrap, ...) and the pids and peers of
 * child processes and sockets.
 */
export function describeOpenResources(): string {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  const parts = [...counts].map(([type, n]) => (n > 1 ? `${type} x${n}` : type));
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  for (const handle of handles) {
    if (handle instanceof net.Socket && handle.remotePort !== undefined) parts.push(`socket to ${handle.remoteAddress ?? '?'}:${handle.remotePort}`);
    else if (handle instanceof net.Server && handle.listening) parts.push(`server on ${JSON.stringify(handle.address())}`);
    else if (handle instanceof ChildProcessClass && handle.pid !== undefined) parts.push(`child process ${handle.pid} (${handle.spawnargs.slice(1, 4).join(' ')})`);
  }
  return parts.length > 0 ? parts.join(', ') : 'nothing reported';
}

/** SIGTERMs every child still running, SIGKILLs the ones left after a grace. */
async function stopChildren(): Promise<void> {
  const alive = [...guard.children].filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) return;
  process.stderr.write(`${guard.bench} bench: stopping ${alive.length} child process(es): ${alive.map((c) => c.pid).join(', ')}\n`);
  await Promise.all(
    alive.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, CHILD_STOP_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Ends the run from the guard: children stopped, exit code 1. */
function endRun(message: string): void {
  if (guard.ending) return;
  guard.ending = true;
  process.stderr.write(`${guard.bench} bench: ${message}\n`);
  void stopChildren().finally(() => process.exit(1));
}

function armExitGrace(): void {
  if (guard.graceArmed || guard.bench === '') return;
  guard.graceArmed = true;
  const graceS = secondsFromEnv('BENCH_EXIT_GRACE_S', DEFAULT_EXIT_GRACE_S);
  // Unref'd: it never keeps the process alive itself, it only fires if something else does.
  setTimeout(() => {
    endRun(`still running ${graceS} s after its result line; open: ${describeOpenResources()}`);
  }, graceS * 1000).unref();
}

/**
 * Runs a bench's `main` under the guard: a failure prints an error result line and exits 1;
 * after the result line the process must end within `BENCH_EXIT_GRACE_S` (default 10 s) or
 * it names what is still open and exits 1; past `BENCH_DEADLINE_S` (default 1800 s) it
 * names the phase it was in, prints an error result line and exits 1. Child processes
 * started with `spawnTsx` are stopped on every way out.
 */
export function runBench(bench: string, main: () => Promise<void> | void, options: { deadlineS?: number } = {}): void {
  guard.bench = bench;
  const deadlineS = secondsFromEnv('BENCH_DEADLINE_S', options.deadlineS ?? DEFAULT_DEADLINE_S);
  setTimeout(() => {
    const message = `deadline of ${deadlineS} s passed in phase "${guard.phase}"; open: ${describeOpenResources()}`;
    if (!guard.emitted) {
      process.stdout.write(`${JSON.stringify({ bench, error: `deadline of ${deadlineS} s passed`, phase: guard.phase, met: false })}\n`);
      guard.emitted = true;
    }
    endRun(message);
  }, deadlineS * 1000).unref();
  process.on('exit', (code) => {
    if (!guard.emitted) {
      process.stderr.write(`${bench} bench: ended without a result line in phase "${guard.phase}"\n`);
      if (code === 0) process.exitCode = 1;
    }
    // Last resort (only synchronous work is possible here): no child outlives the bench.
    for (const child of guard.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  Promise.resolve()
    .then(main)
    .then(
      () => {
        if (!guard.emitted) fail(bench, new Error(`finished without a result line (phase "${guard.phase}")`));
      },
      (err: unknown) => fail(bench, err),
    );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function nowMs(): number {
  return performance.now();
}

/** Resident set size of this process in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

export interface ChildHandle {
  child: ChildProcess;
  /** Control messages received so far and not yet taken by `nextMessage`. */
  inbox: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name) once the child has exited. */
  exited: Promise<number | string>;
  /** Wakes waiters of `nextMessage`. */
  notify: Set<() => void>;
}

/**
 * Starts `node --import tsx <script> ...args` (no npm/npx wrapper, so `child.pid` is the
 * Node process itself and its CPU time can be read). Lines on the child's stdout that are
 * JSON objects with a `bench` key are control messages (see `nextMessage`); every other
 * line of its stdout and stderr is passed through to our stderr with a prefix, so our
 * stdout keeps only the result line.
 */
export function spawnTsx(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  label: string,
  nodeArgs: readonly string[] = [],
): ChildHandle {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guard.children.add(child);
  child.once('exit', () => guard.children.delete(child));
  const handle: ChildHandle = {
    child,
    inbox: [],
    notify: new Set(),
    exited: new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve(code ?? signal ?? -1);
        for (const wake of handle.notify) wake();
      });
    }),
  };
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`  [${label}] ${line}\n`));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('{"bench"')) {
      try {
        handle.inbox.push(JSON.parse(trimmed) as Record<string, unknown>);
        for (const wake of handle.notify) wake();
        return;
      } catch {
        // not a control message after all
      }
    }
    if (trimmed !== '') process.stderr.write(`  [${label}] ${line}\n`);
  });
  return handle;
}

/** Sends a control message to the parent (from a child started with `spawnTsx`). */
export function sendToParent(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: true, ...message })}\n`);
}

/**
 * Runs a child server (started with `spawnTsx`): `start` brings it up, tells the parent it is
 * ready and returns how to stop it; SIGTERM stops it and exits, a failure exits 1.
 */
export function runChildServer(name: string, start: () => Promise<() => Promise<void>>): void {
  start().then(
    (stop) => {
      process.once('SIGTERM', () => {
        stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`stop failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      });
    },
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Takes the next control message that has `key`, failing on exit or after `timeoutMs`. */
export async function nextMessage(handle: ChildHandle, key: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = nowMs() + timeoutMs;
  let exited: number | string | null = null;
  void handle.exited.then((code) => {
    exited = code;
  });
  for (;;) {
    const index = handle.inbox.findIndex((m) => key in m);
    if (index >= 0) return handle.inbox.splice(index, 1)[0] as Record<string, unknown>;
    if (exited !== null || handle.child.exitCode !== null) {
      throw new Error(`child exited (${String(exited ?? handle.child.exitCode)}) before sending "${key}"`);
    }
    const left = deadline - nowMs();
    if (left <= 0) throw new Error(`no "${key}" message within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(left, 1000));
      function done(): void {
        clearTimeout(timer);
        handle.notify.delete(done);
        resolve();
      }
      handle.notify.add(done);
    });
  }
}

/** SIGTERMs a child and waits for it to exit; SIGKILLs it after `graceMs`. */
export async function stopChild(handle: ChildHandle, graceMs: number): Promise<{ code: number | string; killed: boolean }> {
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) {
    return { code: handle.child.exitCode ?? handle.child.signalCode ?? -1, killed: false };
  }
  handle.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const first = await Promise.race([handle.exited, grace]);
  clearTimeout(timer);
  if (first !== 'timeout') return { code: first, killed: false };
  handle.child.kill('SIGKILL');
  return { code: await handle.exited, killed: true };
}

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU seconds of a process, from /proc (Linux). NaN when unreadable. */
export function procCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Our own user + system CPU seconds. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** A TCP port that was free a moment ago (for a child that must be told its port). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until a child server answers `GET /healthz`; fails if it exits or `timeoutMs` passes. */
export async function waitHealthy(base: string, server: ChildHandle, timeoutMs: number): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode} while starting`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error('server did not become healthy in time');
}

/**
 * Starts the real server (`server/main.ts`) on a free loopback port with the SQLite database
 * `dbFile`, no Redis, warn-level logs and the given bot token (so sign-in data signed by the
 * bench's clients is accepted), and waits until `/healthz` answers. The child joins
 * `children` at once, so the caller's cleanup stops it even when it never becomes healthy.
 * `env` adds or overrides variables; `nodeArgs` go to node (e.g. `--cpu-prof`).
 */
export async function startBenchServer(
  children: ChildHandle[],
  options: { dbFile: string; botToken: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] },
): Promise<{ handle: ChildHandle; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const handle = spawnTsx(
    'server/main.ts',
    [],
    {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${options.dbFile}`,
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: options.botToken,
      REDIS_URL: '',
      ...options.env,
    },
    'server',
    options.nodeArgs,
  );
  children.push(handle);
  await waitHealthy(base, handle, 60_000);
  return { handle, base };
}

/** A server's Prometheus metrics by `name{labels}`. */
export type Metrics = Map<string, number>;

/** Prometheus text format: `name{labels} value` lines; comments skipped. */
export function parseMetrics(text: string): Metrics {
  const out: Metrics = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space < 0) continue;
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** GET /metrics of a server (a scrape also resets prom-client's event-loop lag histogram). */
export async function scrape(base: string): Promise<Metrics> {
  const res = await fetch(`${base}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** One metric's value; fails when it is not exposed. */
export function metric(m: Metrics, name: string): number {
  const v = m.get(name);
  if (v === undefined) throw new Error(`metric ${name} is not exposed`);
  return v;
}

/** Sum of a metric over all its label sets (e.g. colyseus_clients by role). */
export function metricSum(m: Metrics, name: string): number {
  let sum = 0;
  for (const [key, value] of m) if (key === name || key.startsWith(`${name}{`)) sum += value;
  return sum;
}
