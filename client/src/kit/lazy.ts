/**
 * A part of the app whose code loads on first use (a sheet, the minigame scene): `import()`
 * once, shared by every caller. While the code loads, a tap that would open it again is
 * dropped (a double tap opens once) and the hooks may show that it is loading; a failed load
 * is reported (the caller toasts it) and the next tap tries again. No DOM here: the loading
 * sheet is kit/loading-sheet.ts.
 */

export interface LazyHooks {
  /** An open is waiting for the code (`cancel` drops it); returns what ends the waiting display. */
  waiting?(cancel: () => void): () => void;
  /** A load that an open was waiting for failed. */
  failed(): void;
}

export class Lazy<T> {
  private value: T | null = null;
  private loading: Promise<T> | null = null;
  /** What to do once loaded: the latest open that was not dropped or cancelled. */
  private pending: ((value: T) => void) | null = null;
  private endWaiting: (() => void) | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly hooks: LazyHooks,
  ) {}

  /** The loaded part, or null before its code has arrived. */
  get current(): T | null {
    return this.value;
  }

  /** Whether an open is waiting for the code. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** Runs `use` with the part now if it is loaded, else once it is (dropped while a load runs). */
  open(use: (value: T) => void): void {
    if (this.value) {
      use(this.value);
      return;
    }
    if (this.pending) return;
    this.pending = use;
    this.endWaiting = this.hooks.waiting?.(() => this.cancel()) ?? null;
    void this.ensure().then(
      (value) => {
        const run = this.pending;
        this.settle();
        run?.(value);
      },
      () => {
        const wanted = this.pending !== null;
        this.settle();
        if (wanted) this.hooks.failed();
      },
    );
  }

  /** Loads the code without opening anything (resolves with the part; rejects on failure). */
  ensure(): Promise<T> {
    if (this.value) return Promise.resolve(this.value);
    this.loading ??= this.load().then(
      (value) => {
        this.value = value;
        this.loading = null;
        return value;
      },
      (error: unknown) => {
        // Forget the failure: the next open loads again.
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** The player closed the loading sheet (or went elsewhere): open nothing when the code arrives. */
  cancel(): void {
    this.settle();
  }

  private settle(): void {
    this.pending = null;
    this.endWaiting?.();
    this.endWaiting = null;
  }
}

/** A part shown and hidden in place (a sheet). */
interface Hideable {
  readonly open: boolean;
  hide(): void;
}

/** Drops an open still waiting for the code and hides the part if it is on show; true when it was. */
export function closeLazy<T extends Hideable>(part: Lazy<T>): boolean {
  part.cancel();
  const shown = part.current;
  if (!shown?.open) return false;
  shown.hide();
  return true;
}
