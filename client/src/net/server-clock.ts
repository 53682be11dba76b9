/**
 * An estimate of the server's wall clock. Every sample is a server timestamp that was
 * "now" on the server shortly before this client received it (`serverTime`, a game's
 * `sampledAt`), so `sample − local receive time` is the offset minus that sample's delay.
 * The least delayed samples are the best: the estimate rises quickly towards a higher
 * sample and sinks only slowly (so one late patch does not make the game lag, while a
 * drifting local clock is still followed).
 */
const RISE = 0.5;
const SINK = 0.05;

export class ServerClock {
  private offsetMs: number | null = null;
  private readonly lastSample = new Map<string, number>();

  /**
   * Feeds a server timestamp read from state received at local `receivedAtMs` (epoch ms).
   * `source` names the field: a value that did not change since the last patch is stale.
   */
  sample(source: string, serverMs: number, receivedAtMs = Date.now()): void {
    if (!(serverMs > 0) || this.lastSample.get(source) === serverMs) return;
    this.lastSample.set(source, serverMs);
    const observed = serverMs - receivedAtMs;
    if (this.offsetMs === null) {
      this.offsetMs = observed;
      return;
    }
    const k = observed > this.offsetMs ? RISE : SINK;
    this.offsetMs += (observed - this.offsetMs) * k;
  }

  /** Estimated server epoch ms now. */
  now(localMs = Date.now()): number {
    return localMs + (this.offsetMs ?? 0);
  }

  get offset(): number {
    return this.offsetMs ?? 0;
  }
}
