/**
 * The album's paging state, without DOM: the pictures loaded so far (newest first, each once),
 * where the next page starts, which picture is on show, and when to ask for the next page
 * (a few pictures before the end of what is loaded, one request at a time).
 */
import type { AlbumDto, AlbumPictureDto } from '../../../../shared/dto.js';

/** Ask for the next page this many pictures before the last one loaded. */
export const PREFETCH_AHEAD = 3;

export class AlbumPaging {
  private readonly list: AlbumPictureDto[] = [];
  private readonly ids = new Set<string>();
  private cursor: string | null = null;
  private started = false;
  private inFlight = false;
  private serverTotal = 0;
  private shown = 0;

  /** The pictures loaded, newest first. */
  get items(): readonly AlbumPictureDto[] {
    return this.list;
  }

  /** The picture on show (0-based). */
  get index(): number {
    return this.shown;
  }

  get current(): AlbumPictureDto | null {
    return this.list[this.shown] ?? null;
  }

  /** Pictures in the album: the server's count, never fewer than are loaded. */
  get total(): number {
    return Math.max(this.serverTotal, this.list.length);
  }

  /** Every page has been loaded. */
  get complete(): boolean {
    return this.started && this.cursor === null;
  }

  get loading(): boolean {
    return this.inFlight;
  }

  /** The cursor of the next page to ask for (undefined: the first), or null when none is due. */
  nextRequest(): { cursor: string | undefined } | null {
    if (this.inFlight || this.complete) return null;
    if (this.started && this.shown < this.list.length - PREFETCH_AHEAD) return null;
    return { cursor: this.started ? (this.cursor ?? undefined) : undefined };
  }

  /** A request went out (until `accept` or `failed`). */
  begin(): void {
    this.inFlight = true;
  }

  /** The request failed: the next `nextRequest` asks for the same page again. */
  failed(): void {
    this.inFlight = false;
  }

  /** A page arrived: its new pictures go after those loaded (one the list has already is skipped). */
  accept(page: Pick<AlbumDto, 'items' | 'nextCursor' | 'total'>): void {
    this.inFlight = false;
    this.started = true;
    this.cursor = page.nextCursor;
    this.serverTotal = page.total;
    for (const item of page.items) {
      if (this.ids.has(item.id)) continue;
      this.ids.add(item.id);
      this.list.push(item);
    }
  }

  /** Moves by `delta` pictures within those loaded; returns whether the picture on show changed. */
  move(delta: number): boolean {
    const next = Math.min(Math.max(this.shown + delta, 0), Math.max(this.list.length - 1, 0));
    if (next === this.shown) return false;
    this.shown = next;
    return true;
  }

  canMove(delta: -1 | 1): boolean {
    return delta < 0 ? this.shown > 0 : this.shown < this.list.length - 1;
  }
}
