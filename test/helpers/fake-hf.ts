/**
 * A local fake of a Hugging Face inference endpoint: `POST /models/<model>` with
 * `{ inputs, parameters }` answers according to a per-model script (ok, 503, 429, 400,
 * hang, slow:<ms>) and records every request. Point HF_ENDPOINT_URL at
 * `<url>/models/{model}`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeStep = 'ok' | '503' | '429' | '400' | 'hang' | `slow:${number}`;

export interface FakeRequest {
  model: string;
  inputs: string;
  parameters: Record<string, unknown>;
  at: number;
}

export interface FakeHf {
  url: string;
  /** `{model}` template for HF_ENDPOINT_URL. */
  endpointTemplate: string;
  requests: FakeRequest[];
  /** What the next requests for `model` get, in order; after the script runs out, `fallback`. */
  script(model: string, steps: FakeStep[], fallback?: FakeStep): void;
  close(): Promise<void>;
}

/** Stand-in image bytes: a PNG signature and a digest of the prompt and seed (results differ). */
export function fakePng(key: string): Buffer {
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), createHash('sha256').update(key).digest()]);
}

export async function startFakeHf(): Promise<FakeHf> {
  const scripts = new Map<string, { steps: FakeStep[]; fallback: FakeStep }>();
  const requests: FakeRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/models\/(.+)$/.exec(req.url ?? '');
      const model = decodeURIComponent(match?.[1] ?? '');
      let body: { inputs?: string; parameters?: Record<string, unknown> } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        // answered below
      }
      requests.push({ model, inputs: body.inputs ?? '', parameters: body.parameters ?? {}, at: Date.now() });
      const script = scripts.get(model) ?? { steps: [], fallback: 'ok' as FakeStep };
      const step = script.steps.shift() ?? script.fallback;
      const ok = () => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(fakePng(`${model}:${body.inputs ?? ''}:${JSON.stringify(body.parameters?.seed ?? null)}`));
      };
      if (step === 'ok') return ok();
      if (step === 'hang') {
        hanging.add(res);
        return;
      }
      if (step.startsWith('slow:')) {
        setTimeout(ok, Number(step.slice(5)));
        return;
      }
      const status = Number(step);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: status === 503 ? 'Model is loading' : status === 429 ? 'Rate limit reached' : 'Bad request' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpointTemplate: `${url}/models/{model}`,
    requests,
    script(model, steps, fallback = 'ok') {
      scripts.set(model, { steps: [...steps], fallback });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
