/**
 * The parts of `npm run cluster` that a test or a bench reuses: the nginx configuration
 * rendered from deploy/nginx/*.template, the environment of each server process, the nginx
 * command line for an unprivileged prefix directory, and the argument parsing. Nothing here
 * starts a process (scripts/cluster.ts does).
 *
 * How the pieces fit (docs: deploy/nginx/README.md): process i (1-based) listens on
 * `basePort + i - 1` and has PUBLIC_ADDRESS=`<publicHost>:<publicPort>/p<i>`; colyseus.js
 * opens its room WebSocket at `ws(s)://<PUBLIC_ADDRESS>/<processId>/<roomId>?sessionId=…`,
 * nginx's `location /p<i>/` strips the prefix and proxies the upgrade to process i.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** deploy/nginx in this checkout. */
export const NGINX_TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../deploy/nginx');

/** One backend process as nginx sees it. */
export interface NginxProcess {
  /** For comments and logs, e.g. `p1`. */
  name: string;
  /** Where nginx reaches the process. */
  host?: string;
  port: number;
  /** The PUBLIC_ADDRESS path of the process, `/p1`: a leading slash, no trailing one. */
  pathPrefix: string;
}

export interface NginxConfigOptions {
  /** The public port. */
  listenPort: number;
  /** The interface nginx listens on; default 127.0.0.1. */
  listenHost?: string;
  /** nginx's `-p` directory: logs/ and temp/ are inside it. Absolute. */
  prefixDir: string;
  processes: readonly NginxProcess[];
  /** nginx's connections per worker (each proxied WebSocket takes two); default 1024, what an unprivileged `ulimit -n` usually allows. */
  workerConnections?: number;
  /** Where telepets.conf.template and process-location.template are; default deploy/nginx. */
  templateDir?: string;
}

const PATH_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;
/** What a value may hold before it is pasted into nginx's syntax. */
const NGINX_SAFE = /^[A-Za-z0-9._:/[\]-]+$/;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`nginx template: no value for ${match}`);
    return value;
  });
}

function safe(what: string, value: string): string {
  if (!NGINX_SAFE.test(value)) throw new Error(`nginx config: ${what} "${value}" has characters nginx would misread`);
  return value;
}

/** `host:port` with an IPv6 host in brackets. */
function hostPort(host: string, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`nginx config: port ${port} is not a TCP port`);
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** The nginx configuration for `processes` behind one port. Throws on a value nginx would misread. */
export function renderNginxConfig(options: NginxConfigOptions): string {
  const dir = options.templateDir ?? NGINX_TEMPLATE_DIR;
  const main = fs.readFileSync(path.join(dir, 'telepets.conf.template'), 'utf8');
  const perProcess = fs.readFileSync(path.join(dir, 'process-location.template'), 'utf8');
  if (!path.isAbsolute(options.prefixDir)) throw new Error(`nginx config: prefixDir must be absolute (got "${options.prefixDir}")`);
  const workerConnections = options.workerConnections ?? 1024;
  if (!Number.isInteger(workerConnections) || workerConnections < 16) throw new Error(`nginx config: workerConnections ${workerConnections} must be an integer of at least 16`);
  if (options.processes.length === 0) throw new Error('nginx config: no processes');
  const prefixes = new Set<string>();
  for (const p of options.processes) {
    if (!PATH_PREFIX.test(p.pathPrefix)) throw new Error(`nginx config: path prefix "${p.pathPrefix}" must look like /p1`);
    if (prefixes.has(p.pathPrefix)) throw new Error(`nginx config: path prefix ${p.pathPrefix} is used twice`);
    prefixes.add(p.pathPrefix);
  }
  const upstreamServers = options.processes
    .map((p) => `        server ${safe('host', hostPort(p.host ?? '127.0.0.1', p.port))} max_fails=1 fail_timeout=5s;  # ${safe('name', p.name)}`)
    .join('\n');
  const processLocations = options.processes
    .map((p) => fill(perProcess, { name: safe('name', p.name), address: safe('host', hostPort(p.host ?? '127.0.0.1', p.port)), path_prefix: p.pathPrefix }).trimEnd())
    .join('\n\n');
  return fill(main, {
    prefix: safe('prefixDir', options.prefixDir.replace(/\/+$/, '')),
    worker_connections: String(workerConnections),
    listen: safe('listen address', hostPort(options.listenHost ?? '127.0.0.1', options.listenPort)),
    upstream_servers: upstreamServers,
    process_locations: processLocations,
  });
}

/**
 * Makes `prefixDir` ready for an unprivileged nginx (logs/, temp/) and writes the rendered
 * configuration to `<prefixDir>/nginx.conf`; returns that path.
 */
export function writeNginxPrefix(options: NginxConfigOptions): string {
  // Started as root, nginx runs its workers as nobody: they must get through the directory
  // (mkdtemp makes it 0700) to the temp files the master made for them.
  fs.mkdirSync(options.prefixDir, { recursive: true });
  fs.chmodSync(options.prefixDir, 0o755);
  for (const sub of ['logs', 'temp']) fs.mkdirSync(path.join(options.prefixDir, sub), { recursive: true, mode: 0o755 });
  const conf = path.join(options.prefixDir, 'nginx.conf');
  fs.writeFileSync(conf, renderNginxConfig(options));
  return conf;
}

/** The arguments that run nginx in the foreground with everything inside `prefixDir`; `test` only checks the file (`nginx -t`). */
export function nginxArgs(prefixDir: string, test = false): string[] {
  const args = ['-p', prefixDir, '-c', path.join(prefixDir, 'nginx.conf'), '-e', path.join(prefixDir, 'logs/error.log')];
  args.push('-g', `daemon off; pid ${path.join(prefixDir, 'nginx.pid')};`);
  if (test) args.push('-t', '-q');
  return args;
}

/** The nginx binary: `nginx` on PATH, else /usr/sbin/nginx; null when there is none. */
export function findNginx(pathVariable: string | undefined): string | null {
  const dirs = [...(pathVariable ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nginx');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface ClusterOptions {
  /** How many server processes. */
  processes: number;
  /** nginx's public port. */
  publicPort: number;
  /** The host in PUBLIC_ADDRESS: what clients (browsers) use to reach nginx. */
  publicHost: string;
  /** Process i listens on basePort + i - 1. */
  basePort: number;
  redisUrl: string;
  databaseUrl: string;
  /** Whether nginx fronts the processes (PUBLIC_ADDRESS points at it) or clients use each process directly. */
  nginx: boolean;
}

export const CLUSTER_DEFAULTS = {
  processes: 2,
  publicPort: 8080,
  publicHost: 'localhost',
  basePort: 2568,
  redisUrl: 'redis://127.0.0.1:6379',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
} as const;

/** The port of process `i` (1-based). */
export function processPort(i: number, options: Pick<ClusterOptions, 'basePort'>): number {
  return options.basePort + i - 1;
}

/** The name and nginx path prefix of process `i` (1-based): `p1`, `/p1`. */
export function processName(i: number): string {
  return `p${i}`;
}

/** What clients use to reach process `i` directly: through nginx `host:publicPort/p<i>`, else `host:processPort`. */
export function publicAddress(i: number, options: Pick<ClusterOptions, 'basePort' | 'publicHost' | 'publicPort' | 'nginx'>): string {
  return options.nginx ? `${options.publicHost}:${options.publicPort}/${processName(i)}` : `${options.publicHost}:${processPort(i, options)}`;
}

/** The backends of an nginx config for the cluster. */
export function clusterProcesses(options: Pick<ClusterOptions, 'processes' | 'basePort'>): NginxProcess[] {
  return Array.from({ length: options.processes }, (_, k) => ({ name: processName(k + 1), port: processPort(k + 1, options), pathPrefix: `/${processName(k + 1)}` }));
}

/**
 * The environment that server process `i` (1-based) gets on top of the launcher's own: its
 * port, the shared Redis and Postgres, its PUBLIC_ADDRESS, X-Forwarded-For from loopback
 * believed, image jobs left to the separate worker.
 */
export function clusterEnv(i: number, options: ClusterOptions): Record<string, string> {
  if (!Number.isInteger(i) || i < 1 || i > options.processes) throw new Error(`process index ${i} is outside 1..${options.processes}`);
  return {
    PORT: String(processPort(i, options)),
    HOST: '127.0.0.1',
    REDIS_URL: options.redisUrl,
    DATABASE_URL: options.databaseUrl,
    PUBLIC_ADDRESS: publicAddress(i, options),
    TRUST_PROXY: 'loopback',
    WORKERS_IN_PROCESS: 'false',
  };
}

/** The environment of the separate image worker. */
export function workerEnv(options: ClusterOptions): Record<string, string> {
  // The worker serves /metrics and /healthz on HOST:PORT (server/worker-http.ts): the port after the last server's.
  return { REDIS_URL: options.redisUrl, DATABASE_URL: options.databaseUrl, HOST: '127.0.0.1', PORT: String(workerPort(options)) };
}

/** Where the cluster's image worker serves /metrics and /healthz: the port after the last server's. */
export function workerPort(options: Pick<ClusterOptions, 'basePort' | 'processes'>): number {
  return options.basePort + options.processes;
}

function intArg(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

/**
 * `--processes=N --port=P --base-port=B --public-host=H --no-nginx`, with REDIS_URL and
 * DATABASE_URL from `env` (defaults: local Redis and Postgres). Cluster mode needs Postgres:
 * every process shares the database. Throws with a message for the user.
 */
export function parseClusterArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ClusterOptions {
  const options: ClusterOptions = {
    processes: CLUSTER_DEFAULTS.processes,
    publicPort: CLUSTER_DEFAULTS.publicPort,
    publicHost: CLUSTER_DEFAULTS.publicHost,
    basePort: CLUSTER_DEFAULTS.basePort,
    redisUrl: env.REDIS_URL || CLUSTER_DEFAULTS.redisUrl,
    databaseUrl: env.DATABASE_URL || CLUSTER_DEFAULTS.databaseUrl,
    nginx: true,
  };
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const [name, value] = match ? [match[1], match[2]] : ['', undefined];
    if (name === 'no-nginx' && value === undefined) options.nginx = false;
    else if (value === undefined) throw new Error(`unknown argument "${arg}" (try --processes=3 --port=8080 --base-port=2568 --public-host=localhost --no-nginx --print-nginx)`);
    else if (name === 'processes') options.processes = intArg(name, value, 1, 64);
    else if (name === 'port') options.publicPort = intArg(name, value, 1, 65535);
    else if (name === 'base-port') options.basePort = intArg(name, value, 1, 65535);
    else if (name === 'public-host') {
      if (!/^[A-Za-z0-9.-]+$/.test(value)) throw new Error(`--public-host: a host name or IPv4 address (got "${value}")`);
      options.publicHost = value;
    } else throw new Error(`unknown argument "${arg}"`);
  }
  if (workerPort(options) > 65535) throw new Error('--base-port: the last process (or the worker after it) would need a port above 65535');
  const ports = new Set(Array.from({ length: options.processes }, (_, k) => processPort(k + 1, options)));
  ports.add(workerPort(options));
  if (options.nginx && ports.has(options.publicPort)) throw new Error(`--port=${options.publicPort} is also a process port (--base-port=${options.basePort})`);
  if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error(`DATABASE_URL must be postgres://… in cluster mode: every process shares the database (got "${options.databaseUrl}")`);
  if (!/^rediss?:\/\//.test(options.redisUrl)) throw new Error(`REDIS_URL must be redis://… or rediss://… (got "${options.redisUrl}")`);
  return options;
}

export interface RunningNginx {
  proc: ChildProcess;
  prefixDir: string;
  /** Everything nginx wrote to stdout/stderr and logs/error.log. */
  output(): string;
  /** SIGTERM (nginx's fast shutdown); resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Renders the config into `options.prefixDir`, starts `bin` in the foreground there and
 * resolves once the public port accepts connections (for tests and benches; the cluster
 * script starts nginx itself to prefix its output). Rejects with nginx's output if it exits
 * first or does not listen within `timeoutMs`.
 */
export async function startNginx(bin: string, options: NginxConfigOptions, timeoutMs = 10_000): Promise<RunningNginx> {
  writeNginxPrefix(options);
  const proc = spawn(bin, nginxArgs(options.prefixDir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', (err) => {
      spawnError = err;
      resolve();
    });
  });
  const output = () => {
    let log = '';
    try {
      log = fs.readFileSync(path.join(options.prefixDir, 'logs/error.log'), 'utf8');
    } catch {
      // no log yet
    }
    return out + log;
  };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null && !spawnError) proc.kill('SIGTERM');
    await exited;
  };
  const host = options.listenHost ?? '127.0.0.1';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`nginx (${bin}) did not start: ${spawnError.message}`);
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`nginx exited (${proc.signalCode ?? proc.exitCode}):\n${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(options.listenPort, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return { proc, prefixDir: options.prefixDir, output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${host}:${options.listenPort} within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
