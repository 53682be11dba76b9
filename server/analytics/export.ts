/**
 * The daily export: a UTC day's events as NDJSON, one file per kind,
 * `<dir>/<YYYY-MM-DD>/<kind>.ndjson` (UI events in `ui.ndjson`), then `_manifest.json` with
 * the line counts. Each file is written under a temporary name and renamed into place, so a
 * reader sees the old file or the new one, never half of one; the manifest comes last, so its
 * presence says the day's export is complete. Running a day again rewrites the same lines.
 *
 * A line holds the time, the kind, the player's keyed hash and the payload fields listed
 * below, nothing else: no ids of pets, sessions, orders or Telegram charges, and nothing about
 * another player (a friendship exports without the friend).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GameEventKind, GameEventPayloads } from '../events/event-kinds.js';
import type { AnalyticsRepository, PagePosition, StoredUiEvent, Window } from '../repositories/analytics-repository.js';
import type { PlayerHasher } from './player-hash.js';

/** Payload fields each kind exports; a kind missing here (added later) exports none. */
export const EXPORT_FIELDS = {
  care: ['action', 'itemId'],
  adopt: ['species'],
  purchase: ['itemId', 'quantity', 'coins', 'promotionId', 'variant'],
  payment: ['productId', 'stars', 'currency', 'coins', 'matched'],
  refund: ['by', 'stars', 'coinsTaken', 'debtAdded'],
  minigame: ['game', 'status', 'score', 'coins', 'meterPoints', 'suspicious'],
  friend: [],
  referral: ['role', 'status', 'coins'],
} as const satisfies { [K in GameEventKind]?: ReadonlyArray<keyof GameEventPayloads[K]> };

/** The file of the UI events. */
export const UI_KIND = 'ui';
export const MANIFEST = '_manifest.json';
const PAGE = 1000;

export interface ExportResult {
  day: string;
  dir: string;
  /** Lines per file (kind). */
  files: Record<string, number>;
}

interface OpenFile {
  tmp: string;
  final: string;
  handle: fs.FileHandle;
  lines: number;
}

/** Writes the day's export (see above); `window` is the day in epoch ms. */
export async function exportDay(options: {
  dir: string;
  day: string;
  window: Window;
  repo: AnalyticsRepository;
  hash: PlayerHasher;
  nowMs: number;
}): Promise<ExportResult> {
  const { day, window, repo, hash } = options;
  const dayDir = path.join(options.dir, day);
  await fs.mkdir(dayDir, { recursive: true });
  const token = randomBytes(6).toString('hex');
  const files = new Map<string, OpenFile>();
  const open = async (kind: string): Promise<OpenFile> => {
    const existing = files.get(kind);
    if (existing) return existing;
    const final = path.join(dayDir, `${kind}.ndjson`);
    const tmp = `${final}.${token}.tmp`;
    const file = { tmp, final, handle: await fs.open(tmp, 'w'), lines: 0 };
    files.set(kind, file);
    return file;
  };
  try {
    // Every known kind gets its file, empty or not, so no stale one survives a rerun.
    for (const kind of [...Object.keys(EXPORT_FIELDS), UI_KIND]) await open(kind);

    let after: PagePosition | null = null;
    for (;;) {
      const page = await repo.eventsPage(window, after, PAGE);
      const chunks = new Map<string, string[]>();
      for (const event of page) {
        const kind = /^[a-z][a-z0-9_]{0,31}$/.test(event.kind) && event.kind !== UI_KIND ? event.kind : 'other';
        const line = { at: new Date(event.at).toISOString(), kind, player: event.playerId === null ? null : hash(event.playerId), ...fieldsOf(kind, event.payload) };
        const list = chunks.get(kind) ?? [];
        list.push(JSON.stringify(line));
        chunks.set(kind, list);
      }
      await writeChunks(chunks, open);
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { at: last.at, seq: last.seq };
    }

    after = null;
    for (;;) {
      const page = await repo.uiEventsPage(window, after, PAGE);
      await writeChunks(new Map([[UI_KIND, page.map((e) => JSON.stringify(uiLine(e)))]]), open);
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { at: last.created_at, seq: last.seq };
    }

    for (const file of files.values()) {
      await file.handle.sync();
      await file.handle.close();
    }
    for (const file of files.values()) await fs.rename(file.tmp, file.final);
    const counts = Object.fromEntries([...files].map(([kind, file]) => [kind, file.lines]));
    const manifest = { day, generatedAt: new Date(options.nowMs).toISOString(), files: counts };
    const manifestPath = path.join(dayDir, MANIFEST);
    await fs.writeFile(`${manifestPath}.${token}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
    await fs.rename(`${manifestPath}.${token}.tmp`, manifestPath);
    await removeLeftovers(dayDir, new Set([...files.values()].map((f) => path.basename(f.final))));
    return { day, dir: dayDir, files: counts };
  } catch (err) {
    await Promise.all(
      [...files.values()].map(async (file) => {
        await file.handle.close().catch(() => undefined);
        await fs.rm(file.tmp, { force: true });
      }),
    );
    throw err;
  }
}

/** Whether the day's export is complete (its manifest is there). */
export async function exported(dir: string, day: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, day, MANIFEST));
    return true;
  } catch {
    return false;
  }
}

async function writeChunks(chunks: Map<string, string[]>, open: (kind: string) => Promise<OpenFile>): Promise<void> {
  for (const [kind, lines] of chunks) {
    if (lines.length === 0) continue;
    const file = await open(kind);
    await file.handle.write(`${lines.join('\n')}\n`);
    file.lines += lines.length;
  }
}

/** The exported payload fields of an event (none for a kind not listed, or a payload that is no object). */
function fieldsOf(kind: string, payload: string): Record<string, unknown> {
  const fields: readonly string[] | undefined = (EXPORT_FIELDS as Record<string, readonly string[]>)[kind];
  if (!fields || fields.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const source = parsed as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(source, f)).map((f) => [f, source[f]]));
}

function uiLine(e: StoredUiEvent): Record<string, unknown> {
  return {
    at: new Date(e.created_at).toISOString(),
    type: e.type,
    player: e.player_hash,
    ...(e.screen === null ? {} : { screen: e.screen }),
    ...(e.action === null ? {} : { action: e.action }),
    ...(e.game === null ? {} : { game: e.game }),
    ...(e.code === null ? {} : { code: e.code }),
    variant: e.variant,
  };
}

/** Removes files of earlier runs this one did not write: stale kinds and temporary files. */
async function removeLeftovers(dayDir: string, keep: Set<string>): Promise<void> {
  for (const name of await fs.readdir(dayDir)) {
    if (name === MANIFEST || keep.has(name)) continue;
    if (name.endsWith('.ndjson') || name.endsWith('.tmp')) await fs.rm(path.join(dayDir, name), { force: true });
  }
}
