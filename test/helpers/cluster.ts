/**
 * A local cluster for tests and benches: N server processes (`server/main.ts`, as in
 * production) and one image worker on real Postgres and Redis, behind Debian's nginx with the
 * repository's own configuration (deploy/nginx) when it is installed, else reached directly.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'colyseus.js';
import { TicketClient } from '../../client/src/net/ticket-client.js';
import { findNginx, startNginx, type RunningNginx } from '../../scripts/cluster-lib.js';
import { signInitData } from '../../server/auth/init-data.js';
import { clockEnv, freePort, spawnServer, type ServerProcess } from './process.js';
import { createPostgresScratch, dropPrefix, TEST_REDIS_URL, type ScratchDatabase } from './services.js';
import { TEST_BOT_TOKEN, type TestUser } from './test-server.js';

export interface ClusterNode {
  name: string;
  server: ServerProcess;
  /** http://127.0.0.1:<port> of this process itself. */
  url: string;
}

export interface TestCluster {
  nodes: ClusterNode[];
  /** Where clients go: nginx's one port, or the first process without nginx. */
  url: string;
  nginx: RunningNginx | null;
  database: ScratchDatabase;
  /** Keys and channels of this cluster in Redis start with it. */
  prefix: string;
  initData(user: TestUser): string;
  /** REST through `base` (default: the public URL). */
  api(user: TestUser | null, method: string, path: string, body?: unknown, base?: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** A colyseus.js client of `user` that matchmakes through `base` (default: the public URL). */
  client(user: TestUser, base?: string): Client;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  processes: number;
  /** Put nginx in front (it must be installed); default: when it is. */
  nginx?: boolean;
  env?: Record<string, string>;
}

export function nginxBinary(): string | null {
  return findNginx(process.env.PATH);
}

export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const database = await createPostgresScratch();
  const prefix = `test-cluster-${randomBytes(4).toString('hex')}`;
  const nginxBin = options.nginx === false ? null : nginxBinary();
  if (options.nginx === true && !nginxBin) throw new Error('nginx is not installed (apt-get install -y nginx)');
  const publicPort = await freePort();
  const ports: number[] = [];
  for (let i = 0; i < options.processes; i++) ports.push(await freePort());
  const common = {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_PREFIX: `${prefix}:rate-limit:`,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TRUST_PROXY: 'loopback',
    WORKERS_IN_PROCESS: 'false',
    LOG_LEVEL: 'info',
    SNAPSHOT_INTERVAL_S: '1',
    ...options.env,
  };
  const nodes: ClusterNode[] = [];
  let nginx: RunningNginx | null = null;
  let worker: ChildProcess | null = null;
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.server.stop('SIGTERM')));
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await nginx?.stop();
    if (nginx) fs.rmSync(nginx.prefixDir, { recursive: true, force: true });
    await dropPrefix(`${prefix}:`);
    await database.drop();
  };
  try {
    // One at a time: each migrates the database on start (the first does the work).
    for (let i = 0; i < options.processes; i++) {
      const name = `p${i + 1}`;
      const port = ports[i] ?? 0;
      const server = await spawnServer({
        ...common,
        PORT: String(port),
        PUBLIC_ADDRESS: nginxBin ? `127.0.0.1:${publicPort}/${name}` : `127.0.0.1:${port}`,
      });
      nodes.push({ name, server, url: `http://127.0.0.1:${port}` });
    }
    worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...clockEnv(), ...common, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    // Like the servers (spawnServer), the worker never outlives the test process.
    const spawned = worker;
    process.once('exit', () => {
      if (spawned.exitCode === null && spawned.signalCode === null) spawned.kill('SIGKILL');
    });
    if (nginxBin) {
      nginx = await startNginx(nginxBin, {
        listenPort: publicPort,
        prefixDir: fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-nginx-')),
        processes: nodes.map((n, i) => ({ name: n.name, port: ports[i] ?? 0, pathPrefix: `/${n.name}` })),
      });
      // nginx does not outlive the test process either (a test that times out skips its cleanup).
      const started = nginx.proc;
      process.once('exit', () => {
        if (started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
      });
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const url = nginx ? `http://127.0.0.1:${publicPort}` : (nodes[0]?.url ?? '');
  const initData = (user: TestUser) =>
    signInitData({ user: { id: user.id, first_name: user.firstName ?? `User${user.id}` }, authDate: Math.floor(Date.now() / 1000), startParam: null }, TEST_BOT_TOKEN);
  const api: TestCluster['api'] = async (user, method, p, body, base = url, extra = {}) => {
    const headers: Record<string, string> = { ...extra };
    if (user) headers.authorization = `tma ${initData(user)}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + p, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  };
  return {
    nodes,
    url,
    nginx,
    database,
    prefix,
    initData,
    api,
    client(user, base = url) {
      return new TicketClient(base.replace(/^http/, 'ws'), async () => {
        const res = await api(user, 'POST', '/api/v1/rooms/tickets', undefined, base);
        if (res.status !== 201) throw new Error(`ticket: HTTP ${res.status}`);
        return res.body.ticket as string;
      });
    },
    stop,
  };
}
