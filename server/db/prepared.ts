/**
 * Named prepared statements on Postgres, for the few statements that run often with a fixed
 * text: Postgres parses and plans such a statement once per connection instead of on every
 * call (for the coin purchase's one statement that was about half its cost). A statement opts
 * in by starting its SQL text with `PREPARED`; the pool in database.ts sends it under a name
 * made from its text. Behind PgBouncer in transaction mode this needs its prepared-statement
 * support (`max_prepared_statements`, PgBouncer 1.21 and later).
 */
import { createHash } from 'node:crypto';

export const PREPARED = '/* prepared */';

const names = new Map<string, string>();
/** Texts kept at most; a marked text should never vary with its values. */
const MAX_NAMES = 100;

/** The statement name for a marked SQL text (the same text, the same name); null when unmarked. */
export function preparedName(text: string): string | null {
  if (!text.startsWith(PREPARED)) return null;
  let name = names.get(text);
  if (name === undefined) {
    name = `prepared_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}
