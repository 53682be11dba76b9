/**
 * The Mini App's first load in headless Chromium against the real server (child process,
 * dev sign-in): a new player opens the app with an empty cache, and the run ends when the
 * first scene is shown (`body[data-scene]` becomes `create`, or `home`). Measured per run:
 *
 * - bytes over the wire: the sum of CDP `Network.loadingFinished.encodedDataLength` (body as
 *   sent plus headers) of every request the page started before the scene was shown;
 * - time to the first scene: `performance.now()` in the page when the attribute changed,
 *   from the start of navigation.
 *
 * Two ways, alternating in every round, each in a fresh browser context with the cache
 * disabled: as browsers ask (`Accept-Encoding: gzip, deflate, br`, so the build's `.br`
 * copies are sent), and against the same server and files declining compression
 * (`Accept-Encoding: identity`), which is what every client got before the build wrote
 * them. Medians over `--runs`. Loopback by default (time differences are small there);
 * `--mbps=` and `--rttMs=` emulate a slower link.
 *
 *   npm run bench:client -- --runs=7 [--mbps=10 --rttMs=40]
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS, ROOT } from '../test/helpers/browser.js';
import { emit, log, median, nextMessage, parseFlags, phase, round, runBench, spawnTsx, stopChild, type ChildHandle } from './lib.js';

const flags = parseFlags({ runs: 7, mbps: 0, rttMs: 0, sceneTimeoutS: 60 });
/** The compressed first load should move at most this share of the uncompressed bytes. */
const RATIO_TARGET = 0.5;
const DIST = path.join(ROOT, 'dist/client');

type Mode = 'compressed' | 'uncompressed';

interface Run {
  bytes: number;
  requests: number;
  firstSceneMs: number;
  domContentLoadedMs: number;
  scene: string;
  /** The largest response (the script bundle): its URL, bytes over the wire and Content-Encoding. */
  largest: { url: string; bytes: number; encoding: string };
}

interface RequestRecord {
  url: string;
  startedWallMs: number;
  bytes: number | null;
  encoding: string;
  done: boolean;
}

/** Runs in the page before its own scripts: notes when the first scene is shown. */
const FIRST_SCENE_PROBE = `(() => {
  const mark = () => {
    const scene = document.body && document.body.dataset.scene;
    if ((scene === 'create' || scene === 'home') && globalThis.__benchFirstScene === undefined) {
      const now = performance.now();
      globalThis.__benchFirstScene = { scene, ms: now, wallMs: performance.timeOrigin + now };
    }
  };
  new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-scene'] });
})();`;

interface FirstScene {
  scene: string;
  ms: number;
  wallMs: number;
  dclMs: number;
}

/** Builds the client (with its .br/.gz copies) unless a build with them is there. */
function ensureCompressedBuild(): void {
  if (fs.existsSync(path.join(DIST, 'index.html.br'))) return;
  log('no compressed client build in dist/client: running npm run build:client');
  execFileSync('npm', ['run', 'build:client'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

function track(cdp: CDPSession): Map<string, RequestRecord> {
  const requests = new Map<string, RequestRecord>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return;
    requests.set(e.requestId, { url: e.request.url, startedWallMs: e.wallTime * 1000, bytes: null, encoding: '', done: false });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    r.encoding = headers['content-encoding'] ?? '';
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.done = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.done = true;
  });
  return requests;
}

async function firstLoad(browser: Browser, baseUrl: string, mode: Mode, userId: number): Promise<Run> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: 'en-US',
    timezoneId: 'UTC',
    ...(mode === 'uncompressed' ? { extraHTTPHeaders: { 'accept-encoding': 'identity' } } : {}),
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (flags.mbps > 0) {
      const bytesPerS = (flags.mbps * 1e6) / 8;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: flags.rttMs, downloadThroughput: bytesPerS, uploadThroughput: bytesPerS });
    }
    const requests = track(cdp);
    await page.addInitScript({ content: FIRST_SCENE_PROBE });
    await page.goto(`${baseUrl}/?user=${userId}&name=Bench`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as { __benchFirstScene?: unknown }).__benchFirstScene !== undefined, undefined, {
      timeout: flags.sceneTimeoutS * 1000,
      polling: 50,
    });
    const scene = await page.evaluate(() => {
      const g = globalThis as unknown as {
        __benchFirstScene: { scene: string; ms: number; wallMs: number };
        performance: { getEntriesByType(type: string): Array<{ domContentLoadedEventEnd?: number }> };
      };
      return { ...g.__benchFirstScene, dclMs: g.performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN };
    });
    const before = (): RequestRecord[] => [...requests.values()].filter((r) => r.startedWallMs <= scene.wallMs);
    // Everything the page asked for before the scene showed, to its last byte.
    const deadline = Date.now() + flags.sceneTimeoutS * 1000;
    while (before().some((r) => !r.done)) {
      if (Date.now() > deadline) throw new Error(`requests still loading: ${before().filter((r) => !r.done).map((r) => r.url).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return summarise(before(), scene);
  } finally {
    await context.close();
  }
}

function summarise(requests: RequestRecord[], scene: FirstScene): Run {
  let largest: RequestRecord | undefined;
  let bytes = 0;
  for (const r of requests) {
    bytes += r.bytes ?? 0;
    if (!largest || (r.bytes ?? 0) > (largest.bytes ?? 0)) largest = r;
  }
  return {
    bytes,
    requests: requests.length,
    firstSceneMs: scene.ms,
    domContentLoadedMs: scene.dclMs,
    scene: scene.scene,
    largest: { url: largest ? new URL(largest.url).pathname : '', bytes: largest?.bytes ?? 0, encoding: largest?.encoding || 'identity' },
  };
}

async function main(): Promise<void> {
  const network = flags.mbps > 0 ? `emulated ${flags.mbps} Mbit/s, ${flags.rttMs} ms RTT` : 'loopback';
  log(`client bench: first load of the Mini App, ${flags.runs} runs per way, ${network}`);
  phase('build');
  ensureCompressedBuild();
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

  phase('server start');
  let server: ChildHandle | null = null;
  let browser: Browser | null = null;
  try {
    server = spawnTsx('bench/client-server.ts', [], process.env, 'server');
    const ready = await nextMessage(server, 'ready', 60_000);
    const baseUrl = `http://127.0.0.1:${String(ready.port)}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    log(`server on ${baseUrl}, Chromium ${browser.version()}`);

    // Each run is a new player: the first scene is the adoption (create) scene.
    let userId = 760_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
    phase('warm-up');
    for (const mode of ['compressed', 'uncompressed'] as const) await firstLoad(browser, baseUrl, mode, userId++);

    const runs: Record<Mode, Run[]> = { compressed: [], uncompressed: [] };
    for (let i = 0; i < flags.runs; i++) {
      phase(`run ${i + 1}`);
      const order: Mode[] = i % 2 === 0 ? ['compressed', 'uncompressed'] : ['uncompressed', 'compressed'];
      for (const mode of order) {
        const run = await firstLoad(browser, baseUrl, mode, userId++);
        runs[mode].push(run);
        log(
          `run ${i + 1} ${mode}: ${run.bytes} bytes in ${run.requests} requests, ${run.scene} scene at ${round(run.firstSceneMs, 0)} ms ` +
            `(DOMContentLoaded ${round(run.domContentLoadedMs, 0)} ms); largest ${run.largest.url} ${run.largest.bytes} bytes ${run.largest.encoding}`,
        );
      }
    }
    // The comparison means something only if the two ways really differ on the wire.
    const bad = [...runs.compressed.filter((r) => r.largest.encoding !== 'br'), ...runs.uncompressed.filter((r) => r.largest.encoding !== 'identity')];
    if (bad.length > 0) throw new Error(`unexpected Content-Encoding of the bundle: ${JSON.stringify(bad.map((r) => r.largest))}`);

    phase('shutdown');
    await browser.close();
    browser = null;
    const stopped = await stopChild(server, 30_000);
    server = null;

    const med = (mode: Mode, key: 'bytes' | 'requests' | 'firstSceneMs' | 'domContentLoadedMs') => median(runs[mode].map((r) => r[key]));
    const bytesC = med('compressed', 'bytes');
    const bytesU = med('uncompressed', 'bytes');
    const ratio = bytesC / bytesU;
    const sceneC = med('compressed', 'firstSceneMs');
    const sceneU = med('uncompressed', 'firstSceneMs');
    emit({
      bench: 'client',
      page: 'first load of the Mini App for a new player (dev sign-in), empty cache, up to the first scene',
      browser: 'headless Chromium (Debian), fresh context per run, cache disabled',
      network,
      runs: flags.runs,
      firstScene: runs.compressed[0]?.scene ?? null,
      requests: med('compressed', 'requests'),
      transferredBytesCompressed: Math.round(bytesC),
      transferredBytesUncompressed: Math.round(bytesU),
      ratio: round(ratio, 3),
      bundleBytesCompressed: median(runs.compressed.map((r) => r.largest.bytes)),
      bundleBytesUncompressed: median(runs.uncompressed.map((r) => r.largest.bytes)),
      firstSceneMsCompressed: round(sceneC, 0),
      firstSceneMsUncompressed: round(sceneU, 0),
      firstSceneRatio: round(sceneC / sceneU, 3),
      domContentLoadedMsCompressed: round(med('compressed', 'domContentLoadedMs'), 0),
      domContentLoadedMsUncompressed: round(med('uncompressed', 'domContentLoadedMs'), 0),
      serverExitCode: stopped.code,
      target: `ratio <= ${RATIO_TARGET} (bytes over the wire, compressed over uncompressed)`,
      met: ratio <= RATIO_TARGET,
    });
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) await stopChild(server, 10_000);
  }
}

runBench('client', main);
