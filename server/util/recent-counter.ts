/**
 * Counts happenings over a sliding window (the admin dashboard's recent 5xx responses): buckets
 * of `bucketMs` on an injected clock, the ones older than the window dropped as it moves.
 * Memory is at most window / bucket entries whatever the rate.
 */
export class RecentCounter {
  private readonly buckets = new Map<number, number>();
  private totalCount = 0;

  constructor(
    private readonly now: () => number,
    readonly windowMs = 300_000,
    private readonly bucketMs = 10_000,
  ) {}

  add(n = 1): void {
    const bucket = Math.floor(this.now() / this.bucketMs);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + n);
    this.totalCount += n;
    this.prune(bucket);
  }

  /** Happenings in the window that ends now (whole buckets: up to one bucket more than the window). */
  recent(): number {
    const current = Math.floor(this.now() / this.bucketMs);
    this.prune(current);
    let sum = 0;
    for (const count of this.buckets.values()) sum += count;
    return sum;
  }

  /** Since the counter was made. */
  get total(): number {
    return this.totalCount;
  }

  private prune(current: number): void {
    const oldest = current - Math.ceil(this.windowMs / this.bucketMs);
    for (const bucket of this.buckets.keys()) if (bucket < oldest) this.buckets.delete(bucket);
  }
}
