import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ImageGenerator } from '../../../server/images/generator.js';
import { createHuggingFaceProvider } from '../../../server/images/providers/huggingface.js';
import { createProceduralProvider } from '../../../server/images/providers/procedural.js';
import type { GenerationRequest } from '../../../server/images/providers/types.js';
import type { ExperimentRow } from '../../../server/repositories/images-repository.js';
import { startFakeHf, type FakeHf } from '../../helpers/fake-hf.js';

const REQUEST: GenerationRequest = {
  prompt: 'a fox',
  negativePrompt: 'blurry',
  seed: 42,
  width: 512,
  height: 512,
  steps: 12,
  guidance: 5,
  species: 'fox',
  stage: 1,
  adultForm: 0,
  skin: 'default',
};

describe('image provider chain against a fake Hugging Face endpoint', () => {
  let fake: FakeHf;
  let records: ExperimentRow[];
  let sleeps: number[];

  const generator = () =>
    new ImageGenerator(
      [
        createHuggingFaceProvider({ name: 'huggingface-primary', token: 'hf_x', model: 'org/primary', provider: 'hf-inference', endpointUrl: fake.endpointTemplate }),
        createHuggingFaceProvider({ name: 'huggingface-fallback', token: 'hf_x', model: 'org/fallback', provider: 'hf-inference', endpointUrl: fake.endpointTemplate }),
        createProceduralProvider(),
      ],
      { timeoutMs: 150, attemptsPerProvider: 2, backoffMs: 100 },
      {
        record: async (row) => {
          records.push(row);
        },
        logger: pino({ level: 'silent' }),
        // Backoff waits are recorded, not slept: the test checks them without timing anything.
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );

  beforeEach(async () => {
    fake = await startFakeHf();
    records = [];
    sleeps = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  const outcomes = () => records.map((r) => `${r.provider}:${r.outcome}`);

  it('takes the primary model when it answers', async () => {
    const result = await generator().generate(REQUEST, { imageId: 'i1', preset: 'fast' });
    assert.equal(result.provider, 'huggingface-primary');
    assert.equal(result.model, 'org/primary');
    assert.equal(result.mime, 'image/png');
    assert.deepEqual(outcomes(), ['huggingface-primary:ok']);
    const sent = fake.requests[0]!;
    assert.equal(sent.inputs, 'a fox');
    assert.deepEqual(sent.parameters, { negative_prompt: 'blurry', num_inference_steps: 12, guidance_scale: 5, width: 512, height: 512, seed: 42 });
    const row = records[0]!;
    assert.deepEqual(
      { image: row.image_id, model: row.model, preset: row.preset, prompt: row.prompt, negative: row.negative_prompt, seed: row.seed },
      { image: 'i1', model: 'org/primary', preset: 'fast', prompt: 'a fox', negative: 'blurry', seed: 42 },
    );
    assert.ok(row.duration_ms >= 0);
  });

  it('retries a 503 with backoff and then succeeds', async () => {
    fake.script('org/primary', ['503', 'ok']);
    const result = await generator().generate(REQUEST, { imageId: 'i2', preset: 'fast' });
    assert.equal(result.provider, 'huggingface-primary');
    assert.deepEqual(outcomes(), ['huggingface-primary:http_5xx', 'huggingface-primary:ok']);
    assert.deepEqual(sleeps, [100]);
  });

  it('times out a hanging model, retries it, then moves to the fallback model', async () => {
    fake.script('org/primary', [], 'hang');
    const result = await generator().generate(REQUEST, { imageId: 'i3', preset: 'fast' });
    assert.equal(result.provider, 'huggingface-fallback');
    assert.deepEqual(outcomes(), ['huggingface-primary:timeout', 'huggingface-primary:timeout', 'huggingface-fallback:ok']);
    assert.deepEqual(sleeps, [100]);
  });

  it('does not retry a 400 and ends with the procedural picture when both models refuse', async () => {
    fake.script('org/primary', [], '400');
    fake.script('org/fallback', [], '400');
    const result = await generator().generate(REQUEST, { imageId: 'i4', preset: 'fast' });
    assert.equal(result.provider, 'procedural');
    assert.equal(result.mime, 'image/svg+xml');
    assert.deepEqual(outcomes(), ['huggingface-primary:http_4xx', 'huggingface-fallback:http_4xx', 'procedural:ok']);
    assert.deepEqual(sleeps, []);
    assert.equal(fake.requests.length, 2);
  });

  it('treats 429 as transient', async () => {
    fake.script('org/primary', ['429', '429'], 'ok');
    fake.script('org/fallback', ['ok']);
    const result = await generator().generate(REQUEST, { imageId: 'i5', preset: 'fast' });
    assert.equal(result.provider, 'huggingface-fallback');
    assert.deepEqual(outcomes(), ['huggingface-primary:http_429', 'huggingface-primary:http_429', 'huggingface-fallback:ok']);
  });
});
