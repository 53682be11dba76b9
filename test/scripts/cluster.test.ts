import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'colyseus.js';
import { WebSocket, WebSocketServer } from 'ws';
import {
  clusterEnv,
  clusterProcesses,
  findNginx,
  nginxArgs,
  parseClusterArgs,
  publicAddress,
  renderNginxConfig,
  startNginx,
  workerEnv,
  writeNginxPrefix,
  type ClusterOptions,
  type RunningNginx,
} from '../../scripts/cluster-lib.js';
import { loadConfig } from '../../server/config.js';
import { freePort } from '../helpers/process.js';
import { IN_CI } from '../helpers/services.js';

const NGINX = findNginx(process.env.PATH);

/** Like needService: skips when nginx is missing locally, fails under CI=true (.ci/run installs it). */
function needNginx(ctx: Mocha.Context): void {
  if (NGINX) return;
  if (IN_CI) throw new Error('nginx is required under CI=true but there is no nginx binary on PATH or in /usr/sbin');
  console.warn('  (skipping: no nginx binary; apt-get install nginx, CI=true makes this a failure)');
  ctx.skip();
}

/** colyseus.js's room URL for a seat reservation (`Client.buildEndpoint` is protected). */
class EndpointClient extends Client {
  roomUrl(room: { publicAddress?: string; processId: string; roomId: string }, sessionId: string): string {
    return this.buildEndpoint(room, { sessionId });
  }
}

const options = (over: Partial<ClusterOptions> = {}): ClusterOptions => ({
  processes: 3,
  publicPort: 8080,
  publicHost: 'localhost',
  basePort: 2568,
  redisUrl: 'redis://127.0.0.1:6379',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  nginx: true,
  ...over,
});

/** The body of the first `location <path> {` block of a config (no nested blocks in ours but `if`). */
function locationBlock(conf: string, location: string): string {
  const start = conf.indexOf(`location ${location} {`);
  assert.ok(start >= 0, `no location ${location}`);
  let depth = 0;
  for (let i = conf.indexOf('{', start); i < conf.length; i++) {
    if (conf[i] === '{') depth++;
    else if (conf[i] === '}' && --depth === 0) return conf.slice(start, i + 1);
  }
  throw new Error(`location ${location} is not closed`);
}

describe('cluster: nginx config rendering (scripts/cluster-lib.ts)', () => {
  const prefixDir = '/tmp/telepets-nginx-test';
  const conf = renderNginxConfig({ listenPort: 8080, prefixDir, processes: clusterProcesses(options()) });

  it('leaves no placeholder and keeps every path inside the prefix directory', () => {
    assert.doesNotMatch(conf, /\{\{|\}\}/);
    for (const directive of ['error_log', 'access_log', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path']) {
      const line = new RegExp(`^\\s*${directive} (\\S+)`, 'm').exec(conf);
      assert.ok(line, `${directive} is set`);
      assert.ok(line[1]!.startsWith(`${prefixDir}/`), `${directive} ${line[1]} is inside the prefix`);
    }
    assert.doesNotMatch(conf, /^\s*(pid|user|daemon)\s/m, 'pid and daemon come from -g; no user: it runs unprivileged');
    assert.match(conf, /^\s*listen 127\.0\.0\.1:8080;/m);
    assert.match(conf, /^\s*gzip off;/m);
  });

  it('round-robins HTTP over every process, in order', () => {
    const upstream = /upstream telepets_http \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    const servers = [...upstream.matchAll(/^\s*server (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(servers, ['127.0.0.1:2568', '127.0.0.1:2569', '127.0.0.1:2570']);
    for (const location of ['/', '/matchmake/', '= /healthz', '= /readyz']) assert.match(locationBlock(conf, location), /proxy_pass http:\/\/telepets_http;/, location);
    assert.match(conf, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  it('keeps /admin and /metrics off the public port', () => {
    assert.match(locationBlock(conf, '^~ /admin'), /return 404;/);
    assert.match(locationBlock(conf, '^~ /metrics'), /return 404;/);
  });

  it('has one WebSocket location per process that strips its prefix', () => {
    for (const [i, port] of [2568, 2569, 2570].entries()) {
      const block = locationBlock(conf, `/p${i + 1}/`);
      assert.match(block, new RegExp(`proxy_pass http://127\\.0\\.0\\.1:${port}/;`), 'the trailing slash strips /p<i>');
      assert.match(block, /proxy_set_header Upgrade \$http_upgrade;/);
      assert.match(block, /proxy_set_header Connection \$telepets_connection;/);
      assert.match(block, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
      assert.match(block, /proxy_read_timeout 3600s;/);
      assert.match(block, /if \(\$http_upgrade !~\* \^websocket\$\) \{\s*return 404;/);
    }
    assert.equal(conf.match(/location \/p\d+\/ \{/g)?.length, 3);
  });

  it('refuses values nginx would misread', () => {
    const one = (over: Partial<Parameters<typeof renderNginxConfig>[0]>) => () =>
      renderNginxConfig({ listenPort: 8080, prefixDir, processes: [{ name: 'p1', port: 2568, pathPrefix: '/p1' }], ...over });
    assert.throws(one({ prefixDir: 'relative/dir' }), /absolute/);
    assert.throws(one({ prefixDir: '/tmp/with space' }), /misread/);
    assert.throws(one({ processes: [] }), /no processes/);
    assert.throws(one({ processes: [{ name: 'p1', port: 2568, pathPrefix: 'p1' }] }), /look like \/p1/);
    assert.throws(one({ processes: [{ name: 'p1', port: 2568, pathPrefix: '/p1/' }] }), /look like \/p1/);
    assert.throws(
      one({
        processes: [
          { name: 'a', port: 2568, pathPrefix: '/p1' },
          { name: 'b', port: 2569, pathPrefix: '/p1' },
        ],
      }),
      /twice/,
    );
    assert.throws(one({ processes: [{ name: 'p1;', port: 2568, pathPrefix: '/p1' }] }), /misread/);
    assert.throws(one({ listenPort: 70000 }), /not a TCP port/);
  });

  it('puts an IPv6 backend in brackets', () => {
    const v6 = renderNginxConfig({ listenPort: 8080, listenHost: '::1', prefixDir, processes: [{ name: 'p1', host: '::1', port: 2568, pathPrefix: '/p1' }] });
    assert.match(v6, /listen \[::1\]:8080;/);
    assert.match(v6, /server \[::1\]:2568 /);
  });

  it('nginxArgs keeps pid, logs and the config inside the prefix', () => {
    assert.deepEqual(nginxArgs('/x'), ['-p', '/x', '-c', '/x/nginx.conf', '-e', '/x/logs/error.log', '-g', 'daemon off; pid /x/nginx.pid;']);
    assert.deepEqual(nginxArgs('/x', true).slice(-2), ['-t', '-q']);
  });
});

describe('cluster: process environment and arguments (scripts/cluster-lib.ts)', () => {
  it('gives process i its port, the shared services and a PUBLIC_ADDRESS behind nginx', () => {
    assert.deepEqual(clusterEnv(2, options()), {
      PORT: '2569',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PUBLIC_ADDRESS: 'localhost:8080/p2',
      TRUST_PROXY: 'loopback',
      WORKERS_IN_PROCESS: 'false',
    });
    assert.throws(() => clusterEnv(0, options()), /outside/);
    assert.throws(() => clusterEnv(4, options()), /outside/);
  });

  it('without nginx, PUBLIC_ADDRESS is the process itself', () => {
    assert.equal(publicAddress(3, options({ nginx: false })), 'localhost:2570');
    assert.equal(clusterEnv(1, options({ nginx: false, publicHost: '10.0.0.5' })).PUBLIC_ADDRESS, '10.0.0.5:2568');
  });

  it('every process environment passes the server config check', () => {
    for (const nginx of [true, false]) {
      for (let i = 1; i <= 3; i++) {
        const env = clusterEnv(i, options({ nginx }));
        const config = loadConfig(env);
        assert.equal(config.publicAddress, env.PUBLIC_ADDRESS);
        assert.equal(config.port, Number(env.PORT));
        assert.equal(config.redisUrl, env.REDIS_URL);
        assert.equal(config.database.dialect, 'postgres');
      }
    }
  });

  it('parses the command line and reads REDIS_URL and DATABASE_URL', () => {
    const parsed = parseClusterArgs(['--processes=4', '--port=9000', '--base-port=3000'], { REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgresql://u@db/x' });
    assert.deepEqual(parsed, {
      processes: 4,
      publicPort: 9000,
      publicHost: 'localhost',
      basePort: 3000,
      redisUrl: 'redis://r:6379',
      databaseUrl: 'postgresql://u@db/x',
      nginx: true,
    });
    assert.equal(parseClusterArgs(['--no-nginx'], {}).nginx, false);
    assert.equal(parseClusterArgs([], {}).databaseUrl, 'postgres://postgres@127.0.0.1:5432/test');
    assert.throws(() => parseClusterArgs([], { DATABASE_URL: 'sqlite:data/x.db' }), /must be postgres/);
    assert.throws(() => parseClusterArgs(['--processes=0'], {}), /processes/);
    assert.throws(() => parseClusterArgs(['--port=2569'], {}), /also a process port/);
    // The worker's /metrics port follows the servers' (2568, 2569 → 2570).
    assert.throws(() => parseClusterArgs(['--port=2570'], {}), /also a process port/);
    assert.deepEqual(workerEnv(parseClusterArgs([], {})), { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', HOST: '127.0.0.1', PORT: '2570' });
    assert.throws(() => parseClusterArgs(['--bogus'], {}), /unknown argument/);
    assert.throws(() => parseClusterArgs(['--public-host=http://x'], {}), /public-host/);
  });
});

describe('cluster: the room URL colyseus.js opens', () => {
  it('is <ws|wss>://<publicAddress>/<processId>/<roomId>?sessionId=…, the scheme from the client endpoint', () => {
    const room = { publicAddress: 'game.example.com/p2', processId: 'proc_1-A', roomId: 'room9' };
    assert.equal(new EndpointClient('https://game.example.com').roomUrl(room, 's1'), 'wss://game.example.com/p2/proc_1-A/room9?sessionId=s1');
    assert.equal(new EndpointClient('http://localhost:8080').roomUrl({ ...room, publicAddress: 'localhost:8080/p2' }, 's1'), 'ws://localhost:8080/p2/proc_1-A/room9?sessionId=s1');
    // The endpoint's own path is ignored when the listing has a publicAddress, used when not.
    assert.equal(new EndpointClient('https://game.example.com/base').roomUrl(room, 's1'), 'wss://game.example.com/p2/proc_1-A/room9?sessionId=s1');
    assert.equal(new EndpointClient('https://game.example.com/base').roomUrl({ processId: 'p', roomId: 'r' }, 's1'), 'wss://game.example.com/base/p/r?sessionId=s1');
  });
});

interface Backend {
  name: string;
  port: number;
  /** What each WebSocket saw: its path and the forwarding headers. */
  upgrades: { url: string; forwardedFor: string | undefined; realIp: string | undefined }[];
  close(): Promise<void>;
}

/** A tiny backend: HTTP answers its name, a WebSocket gets `<name> <path>` and echoes. */
async function startBackend(name: string): Promise<Backend> {
  const upgrades: Backend['upgrades'] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} ${req.url ?? ''} xff=${String(req.headers['x-forwarded-for'])}`);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    upgrades.push({ url: req.url ?? '', forwardedFor: req.headers['x-forwarded-for'] as string | undefined, realIp: req.headers['x-real-ip'] as string | undefined });
    socket.send(`${name} ${req.url ?? ''}`);
    socket.on('message', (data) => socket.send(`echo ${Buffer.from(data as Buffer).toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    upgrades,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Opens a WebSocket, resolves with the first message and a second one after sending `ping`. */
function talk(url: string): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got: string[] = [];
    const timer = setTimeout(() => reject(new Error(`no answer on ${url}`)), 5000);
    ws.on('message', (data) => {
      got.push(Buffer.from(data as Buffer).toString());
      if (got.length === 1) ws.send('ping');
      else {
        clearTimeout(timer);
        ws.close();
        resolve([got[0] ?? '', got[1] ?? '']);
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${res.statusCode} instead of an upgrade on ${url}`));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('cluster: the rendered config in a real nginx', function () {
  this.timeout(20_000);
  let prefixDir: string;

  before(function () {
    needNginx(this);
    prefixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-nginx-test-'));
  });

  after(() => {
    if (prefixDir) fs.rmSync(prefixDir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    writeNginxPrefix({ listenPort: 8080, prefixDir, processes: clusterProcesses(options({ processes: 4 })) });
    const result = spawnSync(NGINX!, nginxArgs(prefixDir, true), { encoding: 'utf8' });
    assert.equal(result.status, 0, `nginx -t failed:\n${result.stderr}${result.stdout}`);
  });

  describe('in front of two backends', () => {
    let backends: Backend[] = [];
    let nginx: RunningNginx | undefined;
    let base: string;

    before(async function () {
      needNginx(this);
      backends = [await startBackend('one'), await startBackend('two')];
      const listenPort = await freePort();
      base = `127.0.0.1:${listenPort}`;
      nginx = await startNginx(NGINX!, { listenPort, prefixDir, processes: backends.map((b, i) => ({ name: `p${i + 1}`, port: b.port, pathPrefix: `/p${i + 1}` })) });
    });

    after(async () => {
      await nginx?.stop();
      await Promise.all(backends.map((b) => b.close()));
    });

    it('round-robins HTTP requests over the processes, with X-Forwarded-For', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const res = await fetch(`http://${base}/api/v1/ping?x=1`);
          assert.equal(res.status, 200);
          return res.text();
        }),
      );
      const names = answers.map((a) => a.split(' ')[0]);
      assert.deepEqual(new Set(names), new Set(['one', 'two']), `both processes answer: ${names.join(',')}`);
      assert.equal(names.filter((n) => n === 'one').length, 3, 'evenly');
      for (const a of answers) assert.match(a, /^\w+ \/api\/v1\/ping\?x=1 xff=127\.0\.0\.1$/, 'path untouched, the client address forwarded');
    });

    it('keeps /metrics and /admin off the public port, and /p<i>/ for WebSockets only', async () => {
      for (const p of ['/metrics', '/admin/players', '/p1/healthz', '/p2/metrics']) assert.equal((await fetch(`http://${base}${p}`)).status, 404, p);
      assert.equal((await fetch(`http://${base}/readyz`)).status, 200);
    });

    it('upgrades /p1/… and /p2/… WebSockets to their own process with the prefix stripped', async () => {
      // What colyseus.js opens for a seat reservation with publicAddress `<host:port>/p<i>`.
      for (const [i, backend] of backends.entries()) {
        for (let round = 0; round < 3; round++) {
          const [hello, echo] = await talk(`ws://${base}/p${i + 1}/procId${round}/room${round}?sessionId=s${round}&reconnectionToken=t`);
          assert.equal(hello, `${backend.name} /procId${round}/room${round}?sessionId=s${round}&reconnectionToken=t`);
          assert.equal(echo, 'echo ping');
        }
        assert.equal(backend.upgrades.length, 3, `${backend.name} got exactly its own sockets`);
        for (const u of backend.upgrades) {
          assert.equal(u.forwardedFor, '127.0.0.1');
          assert.equal(u.realIp, '127.0.0.1');
        }
      }
    });

    it('carries the URL colyseus.js builds from a PUBLIC_ADDRESS to that process', async () => {
      const url = new EndpointClient(`http://${base}`).roomUrl({ publicAddress: `${base}/p2`, processId: 'procX', roomId: 'roomY' }, 'sess');
      assert.equal(url, `ws://${base}/p2/procX/roomY?sessionId=sess`);
      const [hello] = await talk(url);
      assert.equal(hello, 'two /procX/roomY?sessionId=sess');
    });

    it('refuses an upgrade outside a /p<i>/ prefix path it does not know', async () => {
      await assert.rejects(talk(`ws://${base}/p9/proc/room?sessionId=x`), /HTTP/);
    });
  });
});

