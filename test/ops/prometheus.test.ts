/**
 * Prometheus's own checks of the repository's files, with Debian's promtool (package
 * `prometheus`, installed by .ci/run): the alert rules parse and their unit tests
 * (deploy/prometheus/alerts.test.yml) pass; prometheus.yml is valid with the rules and target
 * files beside it, laid out as Compose mounts them and as a native run does. Without promtool
 * the suite is skipped locally and fails under CI=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { IN_CI } from '../helpers/services.js';
import { REPO } from './promql.js';

const run = promisify(execFile);
const PROM_DIR = path.join(REPO, 'deploy/prometheus');

function findPromtool(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, 'promtool');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  const bin = findPromtool() as string;
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: REPO });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Prometheus configuration (promtool)', function () {
  this.timeout(30_000);

  before(function () {
    if (findPromtool()) return;
    if (IN_CI) throw new Error('promtool is required under CI=true (Debian package prometheus, installed by .ci/run)');
    console.warn('  (skipping: no promtool; apt-get install prometheus; CI=true makes this a failure)');
    this.skip();
  });

  it('checks the alert rules', async () => {
    const { code, output } = await promtool(['check', 'rules', 'deploy/prometheus/alerts.yml']);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS: \d+ rules found/);
  });

  it('passes the alert rules unit tests (alerts fire when they should, with their annotations)', async () => {
    const { code, output } = await promtool(['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    assert.equal(code, 0, output);
  });

  it('refuses a broken rule (the check is real)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-rules-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m]) >\n');
      const { code } = await promtool(['check', 'rules', path.join(dir, 'bad.yml')]);
      assert.notEqual(code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks prometheus.yml as Compose mounts it (the repository targets beside it)', async () => {
    const { code, output } = await promtool(['check', 'config', path.join(PROM_DIR, 'prometheus.yml')]);
    assert.equal(code, 0, output);
    for (const file of ['servers.json', 'workers.json']) {
      const groups = JSON.parse(fs.readFileSync(path.join(PROM_DIR, 'targets', file), 'utf8')) as Array<{ targets: string[] }>;
      assert.ok(groups.length > 0 && groups.every((g) => g.targets.length > 0 && g.targets.every((t) => /^[a-z0-9.-]+:\d+$/.test(t))), file);
    }
  });

  it('checks prometheus.yml as a native run lays it out (same files, its own targets)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-prometheus-'));
    try {
      fs.symlinkSync(path.join(PROM_DIR, 'prometheus.yml'), path.join(dir, 'prometheus.yml'));
      fs.symlinkSync(path.join(PROM_DIR, 'alerts.yml'), path.join(dir, 'alerts.yml'));
      fs.mkdirSync(path.join(dir, 'targets'));
      fs.writeFileSync(path.join(dir, 'targets/servers.json'), JSON.stringify([{ targets: ['127.0.0.1:2568', '127.0.0.1:2569'] }]));
      fs.writeFileSync(path.join(dir, 'targets/workers.json'), JSON.stringify([{ targets: ['127.0.0.1:2570'] }]));
      const { code, output } = await promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
      assert.equal(code, 0, output);
      assert.match(output, /SUCCESS: 1 rule files found/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
