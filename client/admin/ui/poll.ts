/**
 * Runs `tick` now and every `intervalMs`, never two at once, and not while the tab is hidden
 * (it runs again as soon as the tab is shown). `stop()` ends it (screens stop on leaving).
 */
export interface Poller {
  stop(): void;
  /** Runs now (a manual refresh), then on the interval again. */
  now(): void;
}

export function poll(tick: () => Promise<void>, intervalMs: number, onPause?: (paused: boolean) => void): Poller {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden) return;
    timer = setTimeout(() => void run(), intervalMs);
  };
  const run = async () => {
    if (stopped || running) return;
    if (document.hidden) {
      onPause?.(true);
      return;
    }
    running = true;
    try {
      await tick();
    } finally {
      running = false;
      schedule();
    }
  };
  const onVisibility = () => {
    if (document.hidden) {
      if (timer) clearTimeout(timer);
      timer = null;
      onPause?.(true);
    } else {
      onPause?.(false);
      void run();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  void run();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
    now() {
      void run();
    },
  };
}
