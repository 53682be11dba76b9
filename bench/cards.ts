/**
 * Share cards (ADR 0018), in one run against the real app (SQLite scratch database):
 *
 * The server runs in a child process (bench/cards-server.ts); this process is the client.
 *
 * 1. Rendering: the immutable card URL of `--pets` distinct pets (distinct names, so distinct
 *    inputs), story and preview, fetched over HTTP on a cold cache `--concurrency` at a time:
 *    cards per second per format and the p50/p99 latency of a request that renders. The
 *    server's event-loop delay (p99, max, from its /metrics) covers the renders: they run in
 *    worker threads.
 * 2. Serving a cached card: autocannon (`--connections`, as many as renders run at once, so
 *    the latencies compare) against one story card's immutable URL for
 *    `--duration` seconds: req/s and p99 latency; then the same with If-None-Match (304s): the
 *    cost of finding the current card without sending it.
 *
 * Ends with ONE JSON line: storyCardsPerS, previewCardsPerS, renderP99Ms, cachedP99Ms, ratio
 * (renderP99Ms / cachedP99Ms), and more.
 *
 *   npm run bench:cards -- --pets=24 --concurrency=2 --duration=5 --connections=2
 */
import autocannon from 'autocannon';
import { emit, log, metric, nextMessage, parseFlags, percentile, phase, round, runBench, scrape, spawnTsx, stopChild } from './lib.js';

const flags = parseFlags({ pets: 24, concurrency: 2, duration: 5, connections: 2 });

/** The immutable URL of a pet's current card (the bare URL redirects to it). */
async function immutableUrl(base: string, petId: string, format: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/pets/${petId}/card.png?format=${format}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`card redirect: HTTP ${res.status}`);
  return base + res.headers.get('location');
}

/** Fetches every URL, `concurrency` at a time; each must be a fresh 200 PNG. */
async function renderAll(urls: string[], concurrency: number): Promise<{ perS: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!;
        const t = performance.now();
        const res = await fetch(url);
        const body = await res.arrayBuffer();
        if (res.status !== 200 || body.byteLength < 1000) throw new Error(`render: HTTP ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perS: urls.length / ((performance.now() - started) / 1000), latencies };
}

async function main(): Promise<void> {
  phase('start');
  const server = spawnTsx('bench/cards-server.ts', [`--pets=${flags.pets}`, `--concurrency=${flags.concurrency}`], process.env, 'server');
  try {
    const ready = await nextMessage(server, 'ready', 120_000);
    const base = `http://127.0.0.1:${String(ready.port)}`;
    const pets = ready.pets as string[];
    log(`cards bench: ${pets.length} pets, renders ${flags.concurrency} at a time; cached: ${flags.connections} connections x ${flags.duration} s`);

    phase('render');
    const story = await Promise.all(pets.map((id) => immutableUrl(base, id, 'story')));
    const preview = await Promise.all(pets.map((id) => immutableUrl(base, id, 'preview')));
    // A scrape resets the server's event-loop delay histogram: the next one covers the renders.
    await scrape(base);
    const storyRun = await renderAll(story, flags.concurrency);
    const previewRun = await renderAll(preview, flags.concurrency);
    const loop = await scrape(base);
    const rendered = [...storyRun.latencies, ...previewRun.latencies];
    const renderP99Ms = round(percentile(rendered, 0.99), 1);
    log(`story ${round(storyRun.perS, 2)}/s, preview ${round(previewRun.perS, 2)}/s, render p99 ${renderP99Ms} ms`);

    phase('cached');
    const cached = await autocannon({ url: story[0]!, connections: flags.connections, duration: flags.duration });
    if (cached.non2xx > 0 || cached.errors > 0) throw new Error(`cached: ${cached.non2xx} non-2xx, ${cached.errors} errors`);
    const cachedP99Ms = cached.latency.p99;
    // The same URL revalidated (If-None-Match → 304): the server's cost of finding the current card without the 0.7 MB body.
    const etag = `"${new URL(story[0]!).searchParams.get('v')}"`;
    const revalidated = await autocannon({ url: story[0]!, connections: flags.connections, duration: flags.duration, headers: { 'if-none-match': etag } });
    if (revalidated['2xx'] > 0 || revalidated.errors > 0) throw new Error('revalidation did not answer 304');
    emit({
      bench: 'cards',
      pets: pets.length,
      renderConcurrency: flags.concurrency,
      storyCardsPerS: round(storyRun.perS, 2),
      previewCardsPerS: round(previewRun.perS, 2),
      storyRenderP50Ms: round(percentile(storyRun.latencies, 0.5), 1),
      previewRenderP50Ms: round(percentile(previewRun.latencies, 0.5), 1),
      renderP99Ms,
      eventLoopDelayP99Ms: round(metric(loop, 'nodejs_eventloop_lag_p99_seconds') * 1000, 1),
      eventLoopDelayMaxMs: round(metric(loop, 'nodejs_eventloop_lag_max_seconds') * 1000, 1),
      cachedReqPerS: Math.round(cached.requests.average),
      cachedP50Ms: cached.latency.p50,
      cachedP99Ms,
      cardBytes: Math.round(cached.throughput.average / Math.max(cached.requests.average, 1)),
      notModifiedReqPerS: Math.round(revalidated.requests.average),
      notModifiedP99Ms: revalidated.latency.p99,
      ratio: round(renderP99Ms / Math.max(cachedP99Ms, 1), 1),
    });
  } finally {
    await stopChild(server, 30_000);
  }
}

runBench('cards', main, { deadlineS: 600 });
