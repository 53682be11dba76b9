/**
 * `npm run cluster -- --processes=3 [--port=8080] [--base-port=2568] [--public-host=localhost] [--no-nginx] [--print-nginx]`
 *
 * Runs Telepets in cluster mode on this machine: N server processes (`node --import tsx
 * server/main.ts`) on consecutive ports from --base-port, sharing Redis (REDIS_URL, default
 * redis://127.0.0.1:6379) and Postgres (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test; SQLite is refused: the processes share the
 * database), one image worker (`server/worker.ts`), and nginx on --port in front of them
 * (deploy/nginx/README.md) when an nginx binary is found (PATH, /usr/sbin). Without nginx
 * (or with --no-nginx) each process's PUBLIC_ADDRESS is its own port and clients use the
 * processes directly.
 *
 * It builds nothing: the Mini App's files come from dist/client (`npm run build:client`, or
 * `npm run build`); it warns when they are missing. --print-nginx prints the nginx
 * configuration for the options and exits (for a real deployment's nginx).
 *
 * Every child's output lines are prefixed with its name. SIGINT or SIGTERM stops all children
 * (SIGTERM, SIGKILL after 10 s); so does any child exiting on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clusterEnv,
  clusterProcesses,
  findNginx,
  nginxArgs,
  parseClusterArgs,
  processName,
  renderNginxConfig,
  workerEnv,
  writeNginxPrefix,
  type ClusterOptions,
} from './cluster-lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KILL_AFTER_MS = 10_000;
const START_TIMEOUT_MS = 60_000;

interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<void>;
}

const children: Child[] = [];
let stopping = false;
/** nginx's temp prefix directory: removed after a clean stop, kept (with its logs) after a failure. */
let nginxPrefix: string | undefined;

function say(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}

/** Copies a stream to `out` line by line, each line prefixed with `[name]`. */
function prefixLines(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WritableStream, onLine?: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
  stream.on('end', () => {
    if (rest) out.write(`[${name}] ${rest}\n`);
  });
}

function start(name: string, command: string, args: string[], env: Record<string, string>, ready?: string): Promise<Child> {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = { name, proc, exited };
  children.push(child);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(child);
    };
    const timer = setTimeout(() => finish(new Error(`${name} did not say "${ready}" within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const watch = (line: string) => {
      if (ready !== undefined && line.includes(ready)) finish();
    };
    prefixLines(proc.stdout, name, process.stdout, watch);
    prefixLines(proc.stderr, name, process.stderr, watch);
    proc.once('error', (err) => finish(new Error(`${name}: ${err.message}`)));
    proc.once('exit', (code, signal) => {
      finish(new Error(`${name} exited (${signal ?? code}) before it was ready`));
      if (!stopping) {
        say(`${name} exited (${signal ?? code}); stopping the rest`);
        void stopAll(1);
      }
    });
    if (ready === undefined) proc.once('spawn', () => finish());
  });
}

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const running = children.filter((c) => c.proc.exitCode === null && c.proc.signalCode === null);
    if (running.length > 0) say(`stopping ${running.map((c) => c.name).join(', ')}`);
    for (const c of running) c.proc.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const c of running) {
        if (c.proc.exitCode === null && c.proc.signalCode === null) {
          say(`${c.name} still running after ${KILL_AFTER_MS / 1000} s: SIGKILL`);
          c.proc.kill('SIGKILL');
        }
      }
    }, KILL_AFTER_MS);
    await Promise.all(running.map((c) => c.exited));
    clearTimeout(killer);
    if (nginxPrefix && exitCode === 0) fs.rmSync(nginxPrefix, { recursive: true, force: true });
    else if (nginxPrefix) say(`nginx's logs are in ${nginxPrefix}/logs`);
    process.exit(exitCode);
  }
  // A second call (another signal, another exit) waits for the first.
  return new Promise<never>(() => undefined);
}

const NODE_ARGS = ['--import', 'tsx'];

async function main(options: ClusterOptions, printNginx: boolean): Promise<void> {
  const backends = clusterProcesses(options);
  if (printNginx) {
    const prefixDir = path.join(os.tmpdir(), 'telepets-nginx');
    // For a deployment's nginx: every interface, not just loopback.
    process.stdout.write(renderNginxConfig({ listenPort: options.publicPort, listenHost: '0.0.0.0', prefixDir, processes: backends }));
    return;
  }

  const nginx = options.nginx ? findNginx(process.env.PATH) : null;
  if (options.nginx && !nginx) {
    say('no nginx binary (PATH, /usr/sbin): clients must use each process directly (PUBLIC_ADDRESS is its own port)');
    options = { ...options, nginx: false };
  }
  const clientDir = path.resolve(ROOT, process.env.CLIENT_DIST_DIR ?? 'dist/client');
  if (!fs.existsSync(path.join(clientDir, 'index.html'))) say(`${clientDir}/index.html is missing: run \`npm run build:client\` first for the Mini App (the API and rooms work without it)`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));

  // The first process migrates the database alone; the others start once it listens.
  const serverArgs = [...NODE_ARGS, 'server/main.ts'];
  await start(processName(1), process.execPath, serverArgs, clusterEnv(1, options), '"telepets listening"');
  await Promise.all([
    ...backends.slice(1).map((b, k) => start(b.name, process.execPath, serverArgs, clusterEnv(k + 2, options), '"telepets listening"')),
    start('worker', process.execPath, [...NODE_ARGS, 'server/worker.ts'], workerEnv(options), '"telepets worker ready"'),
  ]);

  if (nginx) {
    const prefixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-nginx-'));
    nginxPrefix = prefixDir;
    writeNginxPrefix({ listenPort: options.publicPort, prefixDir, processes: backends });
    await start('nginx', nginx, nginxArgs(prefixDir), {});
    say(`nginx (${prefixDir}, logs in logs/) on http://localhost:${options.publicPort}: the Mini App, /api and /matchmake round-robin; /p<i>/ WebSockets to process i`);
  }
  for (const [k, b] of backends.entries()) say(`${b.name}: http://127.0.0.1:${b.port}, PUBLIC_ADDRESS=${clusterEnv(k + 1, options).PUBLIC_ADDRESS}`);
  say('Ctrl-C stops everything');
}

let parsed: ClusterOptions;
const argv = process.argv.slice(2);
const printNginx = argv.includes('--print-nginx');
try {
  parsed = parseClusterArgs(
    argv.filter((a) => a !== '--print-nginx'),
    process.env,
  );
} catch (err) {
  process.stderr.write(`npm run cluster: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
main(parsed, printNginx).catch((err: unknown) => {
  process.stderr.write(`[cluster] ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});
