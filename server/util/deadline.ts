/**
 * The one way to give a call a deadline: `work` settles as it does, or fails with
 * `timedOut()` after `ms` milliseconds, whichever comes first. The timer never outlives the
 * race. `work` itself is not cancelled: a late rejection of it is observed and dropped.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
