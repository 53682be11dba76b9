/**
 * Idempotency keys for purchases: one per purchase the player means to make, reused when the
 * same attempt is retried after a network error so the server can never apply it twice.
 */

/** A random key the server accepts (`[A-Za-z0-9_.:-]{1,128}`). */
export function newIdempotencyKey(): string {
  // randomUUID needs a secure context; getRandomValues does not (a dev server on a LAN IP).
  if (typeof crypto.randomUUID === 'function') {
    try {
      return crypto.randomUUID();
    } catch {
      // Fall through.
    }
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
