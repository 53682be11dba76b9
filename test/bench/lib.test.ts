/**
 * The guard every bench runs under (bench/lib.ts `runBench`): a run ends by itself, or says
 * why not and exits non-zero. Each case runs test/bench/fixtures/guarded-bench.ts as its own
 * process, as `npm run bench:*` does.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runFixture(which: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/fixtures/guarded-bench.ts', `--case=${which}`], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function resultLines(run: Run): Array<Record<string, unknown>> {
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Gone, or a zombie nobody has reaped yet: either way no longer running. */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('bench guard', function () {
  this.timeout(60_000);

  it('lets a bench that closes everything end by itself with code 0 and one result line', async () => {
    const run = await runFixture('clean');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(resultLines(run), [{ bench: 'guarded', value: 1 }]);
  });

  it('ends a bench that leaves a handle open after its result line, names the handle and exits non-zero', async () => {
    const run = await runFixture('open-handle', { BENCH_EXIT_GRACE_S: '0.5' });
    assert.equal(run.code, 1);
    assert.deepEqual(resultLines(run), [{ bench: 'guarded', value: 2 }]);
    assert.match(run.stderr, /guarded bench: still running 0\.5 s after its result line; open: .*TCPServerWrap/);
    assert.match(run.stderr, /server on .*127\.0\.0\.1/);
  });

  it('ends a bench past its deadline, says in which phase, prints an error result and stops its children', async () => {
    const run = await runFixture('deadline', { BENCH_DEADLINE_S: '3' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /guarded bench: deadline of 3 s passed in phase "waiting for the child"/);
    const [result] = resultLines(run);
    assert.equal(result?.bench, 'guarded');
    assert.equal(result?.met, false);
    assert.equal(result?.phase, 'waiting for the child');
    const pid = Number(/child pid (\d+)/.exec(run.stderr)?.[1]);
    assert.ok(pid > 0, run.stderr);
    assert.equal(running(pid), false, `child ${pid} outlived the bench`);
  });

  it('turns a failure into an error result line and exit code 1', async () => {
    const run = await runFixture('throws');
    assert.equal(run.code, 1);
    assert.deepEqual(resultLines(run), [{ bench: 'guarded', error: 'the fixture could not measure', phase: 'measuring', met: false }]);
    assert.match(run.stderr, /guarded bench failed: Error: the fixture could not measure/);
  });

  it('fails a bench that finishes without a result line', async () => {
    const run = await runFixture('no-result');
    assert.equal(run.code, 1);
    const [result] = resultLines(run);
    assert.match(String(result?.error), /finished without a result line \(phase "measuring"\)/);
  });
});
