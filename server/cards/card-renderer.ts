/**
 * SVG → PNG with resvg (ADR 0018), off the event loop. resvg-js's `renderAsync` draws on
 * libuv's thread pool, but its PNG encoding (`asPng`) runs on the calling thread: 60-180 ms
 * for a story card, which would stall every request of the process. So the whole render,
 * encoding included, runs in worker threads: a small pool, one render per worker at a time.
 *
 * Only the fonts shipped in `assets/fonts/` are given to resvg (no system fonts), so a
 * card's text is drawn the same on every machine.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CARD_FONT_FAMILY } from './card-svg.js';

/** Bump when the layout or renderer changes: part of every card's content hash. */
export const CARD_RENDERER_VERSION = 'cards-v1';

/** A render that takes longer than this (a stuck worker) fails, and its worker is replaced. */
const RENDER_DEADLINE_MS = 20_000;

/** assets/fonts from this file, in the source tree (server/cards) or the build (dist/server/cards). */
function fontsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(here, up, 'assets/fonts');
    if (existsSync(path.join(dir, 'DejaVuSans.ttf'))) return dir;
  }
  throw new Error(`assets/fonts/DejaVuSans.ttf not found near ${here}`);
}

let fontFiles: string[] | null = null;

/** The shipped font files (regular and bold DejaVu Sans). */
export function cardFontFiles(): string[] {
  if (!fontFiles) {
    const dir = fontsDir();
    fontFiles = [path.join(dir, 'DejaVuSans.ttf'), path.join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

/**
 * The worker: plain JavaScript run with `eval` (no TypeScript loader needed in the thread),
 * resvg loaded by its resolved path. It answers `{ id, png }` (the buffer transferred) or
 * `{ id, error }`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvg);
parentPort.on('message', ({ id, svg }) => {
  try {
    const png = new Resvg(svg, workerData.options).render().asPng();
    const out = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    parentPort.postMessage({ id, png: out }, [out]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Job {
  id: number;
  resolve: (png: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** Worker threads that render cards, at most one render per worker at a time; extra renders wait in order. */
export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{ svg: string; job: Omit<Job, 'timer' | 'id'> }> = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('RenderPool size must be a positive integer');
  }

  render(svg: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the card render pool is closed'));
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.push({ svg, job: { resolve, reject } });
      this.dispatch();
    });
  }

  /** Stops every worker; renders in flight or waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.job.reject(new Error('the card render pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => this.stopSlot(slot, new Error('the card render pool is closed'))));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const next = this.waiting.shift()!;
      const id = this.nextId++;
      const busy = slot;
      const timer = setTimeout(() => {
        void this.stopSlot(busy, new Error(`card render took over ${RENDER_DEADLINE_MS} ms`)).then(() => this.dispatch());
      }, RENDER_DEADLINE_MS);
      timer.unref();
      busy.job = { id, ...next.job, timer };
      busy.worker.postMessage({ id, svg: next.svg });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        resvg: createRequire(import.meta.url).resolve('@resvg/resvg-js'),
        options: {
          font: { loadSystemFonts: false, fontFiles: cardFontFiles(), defaultFontFamily: CARD_FONT_FAMILY, sansSerifFamily: CARD_FONT_FAMILY },
          fitTo: { mode: 'original' },
          logLevel: 'off',
        },
      },
    });
    // An idle pool never keeps the process alive.
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: { id: number; png?: ArrayBuffer; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      clearTimeout(job.timer);
      slot.job = null;
      if (message.png) job.resolve(Buffer.from(message.png));
      else job.reject(new Error(`card render failed: ${message.error ?? 'unknown'}`));
      this.dispatch();
    });
    const lost = (err: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      if (slot.job) {
        clearTimeout(slot.job.timer);
        slot.job.reject(err);
        slot.job = null;
      }
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => lost(err));
    worker.on('exit', (code) => lost(new Error(`card render worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private async stopSlot(slot: Slot, reason: Error): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.job) {
      clearTimeout(slot.job.timer);
      slot.job.reject(reason);
      slot.job = null;
    }
    await slot.worker.terminate();
  }
}

let shared: RenderPool | null = null;

/** Renders an SVG document to PNG bytes at its own size (a shared one-thread pool; the card service has its own). */
export function renderPng(svg: string): Promise<Buffer> {
  shared ??= new RenderPool(1);
  return shared.render(svg);
}
