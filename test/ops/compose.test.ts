/**
 * The container deployment's files agree with each other and with the code: every file
 * compose.yaml mounts or builds from exists, the nginx config it mounts is the one the cluster
 * templates render, the Prometheus targets name its services, the env example lists every
 * setting, and the Dockerfile runs what the build makes. `docker compose config` (or the older
 * `docker-compose config`) validates the file when either is installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { COMPOSE_SERVERS, renderComposeNginx } from '../../scripts/compose-nginx.js';
import { CONFIG_VARIABLES } from '../../server/config.js';
import { REPO } from './promql.js';

const run = promisify(execFile);
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');

/** Top-level service names of compose.yaml (two-space indented keys under `services:`). */
function services(compose: string): string[] {
  const body = compose.split(/^services:\n/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...body.matchAll(/^ {2}([a-z0-9-]+):\s*$/gm)].map((m) => m[1] as string);
}

/** The variables an env file sets: `NAME=value` lines (not the commented `#NAME=default` ones). */
function setVariables(env: string): Map<string, string> {
  return new Map([...env.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));
}

describe('Compose deployment files', () => {
  const compose = read('compose.yaml');
  const envExample = read('.env.production.example');

  it('runs Postgres, Redis, migrations, two servers, a worker, nginx, Prometheus and Grafana', () => {
    assert.deepEqual(services(compose).sort(), ['grafana', 'migrate', 'nginx', 'postgres', 'prometheus', 'redis', 'server-1', 'server-2', 'worker'].sort());
    assert.equal(COMPOSE_SERVERS, 2);
    // The servers and the worker start after the one-shot migration succeeded.
    assert.match(compose, /x-game-server: &game-server\n(?: {2}.*\n)*? {4}migrate:\n {6}condition: service_completed_successfully/);
    for (const name of ['server-1', 'server-2', 'worker']) assert.match(compose, new RegExp(`\\n {2}${name}:\\n {4}<<: \\*game-server\\n`), `${name} uses the game-server defaults`);
    for (const volume of ['postgres-data', 'redis-data', 'prometheus-data', 'grafana-data']) assert.match(compose, new RegExp(`^ {2}${volume}:$`, 'm'), `named volume ${volume}`);
  });

  it('mounts and builds only files that exist', () => {
    const mounts = [...compose.matchAll(/^\s*- \.\/([^:\s]+):/gm)].map((m) => m[1] as string);
    assert.ok(mounts.length >= 6, mounts.join(', '));
    for (const file of mounts) assert.ok(fs.existsSync(path.join(REPO, file)), `compose.yaml mounts ./${file}`);
    assert.match(compose, /dockerfile: Dockerfile/);
    assert.ok(fs.existsSync(path.join(REPO, 'Dockerfile')));
    // env_file: .env.production is the operator's copy of the example.
    assert.match(compose, /env_file:\n\s+- \.env\.production/);
    assert.ok(fs.existsSync(path.join(REPO, '.env.production.example')));
    assert.match(read('.gitignore'), /^\.env\.production$/m, 'the filled-in secrets file is never committed');
  });

  it('mounts the nginx config the cluster templates render for its servers', () => {
    assert.equal(read('deploy/compose/nginx.conf'), renderComposeNginx(), 'run: npx tsx scripts/compose-nginx.ts > deploy/compose/nginx.conf');
    for (let i = 1; i <= COMPOSE_SERVERS; i++) {
      assert.match(compose, new RegExp(`PUBLIC_ADDRESS: \\$\\{PUBLIC_HOST:\\?[^}]*\\}/p${i}\\n`), `server-${i} is reached at /p${i}`);
    }
  });

  it('has Prometheus scrape every server and the worker by their Compose names', () => {
    const targets = (file: string) => (JSON.parse(read(`deploy/prometheus/targets/${file}`)) as Array<{ targets: string[] }>).flatMap((g) => g.targets);
    assert.deepEqual(targets('servers.json'), Array.from({ length: COMPOSE_SERVERS }, (_, k) => `server-${k + 1}:2567`));
    assert.deepEqual(targets('workers.json'), ['worker:2567']);
  });

  it('lists every setting in .env.production.example, the production ones to fill in', () => {
    const mentioned = new Set([...envExample.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
    const handledByCompose = new Set(['PORT', 'HOST', 'PUBLIC_ADDRESS', 'TRUST_PROXY', 'WORKERS_IN_PROCESS']);
    for (const v of CONFIG_VARIABLES) {
      assert.ok(mentioned.has(v.name) || (handledByCompose.has(v.name) && envExample.includes(v.name)), `${v.name} is in .env.production.example`);
    }
    const set = setVariables(envExample);
    for (const name of ['NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'JWT_SECRET', 'ADMIN_PASSWORD', 'DATABASE_URL', 'PUBLIC_URL', 'PUBLIC_HOST', 'REDIS_URL']) {
      assert.ok(set.has(name), `${name} is a line to fill in`);
    }
    assert.equal(set.get('NODE_ENV'), 'production');
    assert.match(set.get('DATABASE_URL') ?? '', /^postgres:\/\//);
    // Every ${VAR} compose.yaml interpolates is in the env file it is run with.
    for (const m of compose.matchAll(/\$\{([A-Z_]+)(?::?[-?][^}]*)?\}/g)) {
      const name = m[1] as string;
      if (name === 'TELEPETS_VERSION') continue;
      assert.ok(set.has(name), `compose.yaml reads \${${name}}: .env.production.example sets it`);
    }
  });

  it('builds an image that runs what the build makes, as the issue asks', () => {
    const dockerfile = read('Dockerfile');
    assert.match(dockerfile, /^FROM \$\{NODE_IMAGE\} AS build$/m);
    assert.match(dockerfile, /RUN npm ci --no-audit --no-fund\n/);
    assert.match(dockerfile, /RUN npm run build\n/);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
    assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    assert.match(dockerfile, /NODE_ENV=production/);
    assert.match(dockerfile, /COPY --from=build \/src\/dist \.\/dist/, 'the built server and Mini App (dist/client)');
    assert.match(dockerfile, /COPY assets\/fonts/);
    // The same heap limit as npm start.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const heap = /--max-old-space-size=\d+/.exec(pkg.scripts.start ?? '')?.[0];
    assert.ok(heap);
    assert.ok(dockerfile.includes(`CMD ["node", "${heap}", "dist/server/main.js"]`));
    assert.ok(compose.includes(`"${heap}", "dist/server/worker.js"`));
    // dist/<x>.js is tsc's output of <x>.ts (tsconfig.server.json: rootDir ".", outDir "dist").
    for (const m of `${dockerfile}\n${compose}`.matchAll(/"dist\/([a-z/-]+)\.js"/g)) {
      assert.ok(fs.existsSync(path.join(REPO, `${m[1]}.ts`)), `${m[1]}.ts is built to dist/${m[1]}.js`);
    }
    const ignored = read('.dockerignore');
    for (const entry of ['node_modules', 'dist', '.git', '.env']) assert.match(ignored, new RegExp(`^${entry.replace('.', '\\.')}$`, 'm'));
  });

  it('is a valid Compose file (docker compose config, when Docker Compose is installed)', async function () {
    this.timeout(30_000);
    const candidates: Array<[string, string[]]> = [
      ['docker', ['compose']],
      ['docker-compose', []],
    ];
    let tool: [string, string[]] | null = null;
    for (const [bin, sub] of candidates) {
      try {
        await run(bin, [...sub, 'version']);
        tool = [bin, sub];
        break;
      } catch {
        // not installed
      }
    }
    if (!tool) {
      console.warn('  (skipping: neither `docker compose` nor `docker-compose` is installed)');
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-compose-'));
    try {
      const env = path.join(dir, 'env');
      fs.writeFileSync(env, envExample.replace(/^(GRAFANA_ADMIN_PASSWORD|POSTGRES_PASSWORD)=$/gm, '$1=example-only'));
      // env_file must exist too: the example stands in for the operator's .env.production.
      const composeCopy = path.join(REPO, `compose.config-test-${process.pid}.yaml`);
      fs.writeFileSync(composeCopy, compose.replace(/- \.env\.production$/gm, `- ${env}`));
      try {
        const [bin, sub] = tool;
        const { stdout } = await run(bin, [...sub, '-f', composeCopy, '--env-file', env, '--project-directory', REPO, 'config'], { cwd: REPO });
        assert.match(stdout, /PUBLIC_ADDRESS: game\.example\.com\/p1/);
        assert.match(stdout, /service_completed_successfully/);
      } finally {
        fs.rmSync(composeCopy, { force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
