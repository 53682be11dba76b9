import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { startFakeHf, type FakeHf } from '../../helpers/fake-hf.js';
import { clockEnv } from '../../helpers/process.js';
import { waitFor } from '../../helpers/rooms.js';
import { createPostgresScratch, dropPrefix, needService, TEST_REDIS_URL, type ScratchDatabase } from '../../helpers/services.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { startTestServer, TEST_BOT_TOKEN, type TestServer } from '../../helpers/test-server.js';

/** A separate `npm run worker` process. */
function spawnWorker(env: Record<string, string>): { proc: ChildProcess; ready: Promise<void>; exited: Promise<number | null>; output: () => string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...clockEnv(), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const ready = waitFor(() => out.includes('telepets worker ready'), 'the worker to start', 30_000).then(() => undefined);
  return { proc, ready, exited, output: () => out };
}

describe('image jobs on Bull with real Redis and Postgres', function () {
  this.timeout(90_000);
  let fake: FakeHf;
  let prefix: string;
  let scratch: ScratchDatabase;

  before(async function () {
    await needService(this, 'redis');
    await needService(this, 'postgres');
    fake = await startFakeHf();
  });
  beforeEach(async () => {
    prefix = `t${randomBytes(5).toString('hex')}`;
    scratch = await createPostgresScratch();
  });
  afterEach(async () => {
    await dropPrefix(prefix);
    await scratch.drop();
  });
  after(async () => {
    await fake?.close();
  });

  const hfEnv = () => ({ HF_TOKEN: 'hf_test', HF_MODEL: 'org/primary', HF_ENDPOINT_URL: fake.endpointTemplate, IMAGE_PROVIDER_BACKOFF_MS: '10' });

  const newPet = async (s: TestServer, id: number) => {
    const pet = (await s.api({ id }, 'POST', '/api/v1/pets', { name: `P${id}`, species: 'fox' })).body;
    return { id: pet.id as string, ownerId: pet.ownerId as string, species: 'fox' as const, stage: 0, variant: 0, skin: 'default' };
  };

  const imagesOf = (s: TestServer, petId: string) => s.app.db.kysely.selectFrom('pet_images').selectAll().where('pet_id', '=', petId).execute();

  it('makes one image for a request enqueued five times at once', async () => {
    const s = await startTestServer({ database: scratch, env: { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } });
    try {
      const pet = await newPet(s, 9001);
      const results = await Promise.all(Array.from({ length: 5 }, () => s.app.images.ensure(pet)));
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      await waitFor(async () => (await imagesOf(s, pet.id))[0]?.status === 'ready', 'the image');
      assert.equal((await imagesOf(s, pet.id)).length, 1);
      const experiments = await s.app.db.kysely.selectFrom('image_experiments').selectAll().where('image_id', '=', results[0]!.id).execute();
      assert.equal(experiments.length, 1);
      assert.equal(s.app.pipeline.queue.kind, 'bull');
      assert.equal((await s.app.pipeline.queue.counts()).completed, 1);
    } finally {
      await s.stop();
    }
  });

  it('finishes a job once when its worker is killed mid-job (SIGKILL)', async () => {
    fake.script('org/primary', ['hang'], 'ok');
    const env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      IMAGE_JOB_LOCK_MS: '1500',
      HF_TIMEOUT_MS: '30000',
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      ...hfEnv(),
    };
    const s = await startTestServer({ database: scratch, env: { ...env, WORKERS_IN_PROCESS: 'false' } });
    const requestsBefore = fake.requests.length;
    const first = spawnWorker(env);
    let second: ReturnType<typeof spawnWorker> | undefined;
    try {
      await first.ready;
      const pet = await newPet(s, 9002);
      const image = await s.app.images.ensure(pet);
      await waitFor(async () => (await imagesOf(s, pet.id))[0]?.status === 'running' && fake.requests.length > requestsBefore, 'the first worker to be mid-job');
      first.proc.kill('SIGKILL');
      assert.equal(await first.exited, null, 'killed, not exited');
      second = spawnWorker(env);
      await second.ready;
      await waitFor(async () => (await imagesOf(s, pet.id))[0]?.status === 'ready', 'another worker to finish the job', 30_000);
      const rows = await imagesOf(s, pet.id);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.id, image.id);
      assert.equal(rows[0]!.provider, 'huggingface-primary');
      assert.equal(fake.requests.length - requestsBefore, 2, 'the killed attempt and the finishing one');
      const experiments = await s.app.db.kysely.selectFrom('image_experiments').selectAll().where('image_id', '=', image.id).execute();
      assert.deepEqual(experiments.map((e) => e.outcome), ['ok'], 'the killed worker recorded nothing; the job completed once');
      second.proc.kill('SIGTERM');
      assert.equal(await second.exited, 0, second.output());
    } finally {
      if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
      if (second && second.proc.exitCode === null && second.proc.signalCode === null) second.proc.kill('SIGKILL');
      await s.stop();
      fake.script('org/primary', [], 'ok');
    }
  });

  it('resumes the jobs when Redis comes back after an outage', async () => {
    fake.script('org/primary', [], 'slow:300');
    const target = new URL(TEST_REDIS_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const s = await startTestServer({
      database: scratch,
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, QUEUE_PREFIX: prefix, IMAGE_JOB_LOCK_MS: '1500', IMAGE_CONCURRENCY: '1', ...hfEnv() },
    });
    try {
      const pets = [await newPet(s, 9011), await newPet(s, 9012), await newPet(s, 9013)];
      for (const pet of pets) await s.app.images.ensure(pet);
      await proxy.cut();
      await new Promise((r) => setTimeout(r, 1500));
      await proxy.restore();
      for (const pet of pets) {
        await waitFor(async () => (await imagesOf(s, pet.id))[0]?.status === 'ready', `the image of ${pet.id}`, 45_000);
      }
      for (const pet of pets) assert.equal((await imagesOf(s, pet.id)).length, 1);
    } finally {
      await s.stop();
      await proxy.close();
      fake.script('org/primary', [], 'ok');
    }
  });
});
