/**
 * The one rule for names people see: pet names the player types (strict: refused when
 * something is wrong, so the player can fix it) and profile fields Telegram sends (lenient:
 * cleaned, since sign-in must never fail because of a profile). The server applies it before
 * anything is stored; the Mini App applies the same rule before it sends a name.
 *
 * Why: Postgres refuses NUL in text (a 500 before this rule), and control and format
 * characters let a name hide or reorder what other players see (a right-to-left override
 * makes "Bob" + U+202E + "exe.gnp" show as "Bobpng.exe"; a name of zero-width spaces looks
 * empty).
 *
 * Lengths are counted in Unicode code points after normalisation: an emoji is 1 or 2 (a
 * family of three joined by ZWJ is 5), a letter with a combining accent that NFC composes
 * is 1. Not graphemes, because grapheme rules change with Unicode versions and the server
 * and the phone's browser may disagree.
 */

import { PET_NAME_MAX_LENGTH } from './balance.js';

/** Why a name was refused (for logs and messages; the error code is always NAME_INVALID). */
type NameRefusal = 'empty' | 'too_long' | 'control' | 'format' | 'unassigned' | 'private_use' | 'surrogate' | 'invisible';

type NameResult = { ok: true; name: string } | { ok: false; reason: NameRefusal };

/**
 * Longest pet name accepted on the wire, in code points before normalisation: decomposed
 * input (a letter and its combining marks) composes into fewer code points.
 */
export const PET_NAME_INPUT_MAX_LENGTH = 4 * PET_NAME_MAX_LENGTH;
/** Longest stored Telegram first and last name, in code points (Telegram allows 64). */
const PROFILE_NAME_MAX_LENGTH = 64;
/** Telegram usernames: 5–32 of A–Z, a–z, 0–9 and _. */
const USERNAME_MAX_LENGTH = 32;
/** Shown when a Telegram first name has nothing visible left and there is no username. */
export const FALLBACK_PLAYER_NAME = 'Player';

const ZWNJ = 0x200c;
const ZWJ = 0x200d;

// Unicode general categories; `u` regexes match whole code points, so \p{Cs} only matches
// surrogates that are not part of a pair.
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const FORMAT = /\p{Cf}/u;
const PRIVATE_USE = /\p{Co}/u;
const UNASSIGNED = /\p{Cn}/u;
/** Something that shows: a letter, digit, punctuation or symbol (not a mark or a space alone). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const SPACES = /\p{Zs}+/gu;
const EDGE_SPACES = /^ | $/g;

/** What a single code point is, for the rule: null when it may stay. */
function refusalOf(char: string): NameRefusal | null {
  if (LONE_SURROGATE.test(char)) return 'surrogate';
  if (CONTROL.test(char)) return 'control';
  if (FORMAT.test(char)) return 'format';
  if (PRIVATE_USE.test(char)) return 'private_use';
  if (UNASSIGNED.test(char)) return 'unassigned';
  return null;
}

/**
 * ZWJ and ZWNJ are format characters that scripts and emoji need (Devanagari
 * conjuncts, Persian words, emoji sequences such as a family of three):
 * they may stay between two characters that are neither spaces nor format characters.
 */
function joinerAllowed(chars: readonly string[], i: number): boolean {
  const before = chars[i - 1];
  const after = chars[i + 1];
  const ok = (c: string | undefined) => c !== undefined && c !== ' ' && refusalOf(c) === null;
  return ok(before) && ok(after);
}

function isJoiner(char: string): boolean {
  const cp = char.codePointAt(0);
  return cp === ZWJ || cp === ZWNJ;
}

/**
 * NFC, runs of space separators as one ASCII space, no space at either end. Not `trim()`:
 * that also drops controls and the BOM, which a strict name must refuse rather than hide.
 */
function tidy(text: string): string {
  return text.normalize('NFC').replace(SPACES, ' ').replace(EDGE_SPACES, '');
}

/**
 * A pet name as the player typed it → the name to store, or why it is refused.
 *
 * Invariants of an accepted `name`:
 * - NFC, no leading or trailing white space, no run of two spaces, every space is U+0020;
 * - no lone surrogate, no C0/C1 control (NUL included), no line or paragraph separator,
 *   no private-use, unassigned or noncharacter code point, no format character (bidi
 *   embeddings, overrides, isolates and marks, zero-width space, BOM, soft hyphen, tags)
 *   except ZWJ/ZWNJ between two other characters;
 * - at least one letter, digit, punctuation or symbol;
 * - 1 to `maxLength` code points;
 * - `normalizeName(name)` returns the same name (idempotent).
 */
export function normalizeName(raw: string, maxLength = PET_NAME_MAX_LENGTH): NameResult {
  // A lone surrogate cannot be normalised meaningfully; refuse before anything else.
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: 'surrogate' };
  const name = tidy(raw);
  const chars = [...name];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const refusal = refusalOf(char);
    if (refusal === null) continue;
    if (refusal === 'format' && isJoiner(char) && joinerAllowed(chars, i)) continue;
    return { ok: false, reason: refusal };
  }
  if (chars.length === 0) return { ok: false, reason: 'empty' };
  if (!VISIBLE.test(name)) return { ok: false, reason: 'invisible' };
  if (chars.length > maxLength) return { ok: false, reason: 'too_long' };
  return { ok: true, name };
}

/** A sentence for an API error message (the Mini App shows its own NAME_INVALID string). */
export function describeNameRefusal(reason: NameRefusal, maxLength = PET_NAME_MAX_LENGTH): string {
  switch (reason) {
    case 'empty':
    case 'invisible':
      return 'The name needs at least one visible character';
    case 'too_long':
      return `The name is longer than ${maxLength} characters`;
    case 'surrogate':
      return 'The name is not valid Unicode text';
    default:
      return `The name contains a character names cannot have (${reason.replace('_', ' ')})`;
  }
}

/**
 * A display name from outside (Telegram's first or last name) made safe to store and show:
 * what `normalizeName` would refuse is dropped instead, and the result is cut to `maxLength`
 * code points. Returns null when nothing visible is left.
 *
 * Invariant: a non-null result passes `normalizeName(result, maxLength)`.
 */
export function sanitizeDisplayName(raw: string, maxLength = PROFILE_NAME_MAX_LENGTH): string | null {
  // White-space controls (tab, newline, line separator) become spaces; other controls go.
  const chars = [...tidy([...raw].map((c) => (LONE_SURROGATE.test(c) ? '' : CONTROL.test(c) ? (/\s/.test(c) ? ' ' : '') : c)).join(''))];
  const kept: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const refusal = refusalOf(char);
    if (refusal === null || (refusal === 'format' && isJoiner(char) && joinerAllowed(chars, i))) kept.push(char);
  }
  // Dropping characters may leave a joiner without neighbours or new runs of spaces: tidy again.
  const cleaned = tidy(kept.filter((c, i) => !isJoiner(c) || joinerAllowed(kept, i)).join(''));
  const cut = [...cleaned].slice(0, maxLength);
  while (cut.length > 0 && (cut[cut.length - 1] === ' ' || isJoiner(cut[cut.length - 1] as string))) cut.pop();
  const name = cut.join('');
  return normalizeName(name, maxLength).ok ? name : null;
}

/**
 * A Telegram username made safe to store: only A–Z, a–z, 0–9 and _ are kept, at most
 * `USERNAME_MAX_LENGTH`; null when none is left.
 */
export function sanitizeUsername(raw: string | null | undefined): string | null {
  const kept = (raw ?? '').replace(/[^A-Za-z0-9_]/g, '').slice(0, USERNAME_MAX_LENGTH);
  return kept === '' ? null : kept;
}

/**
 * The first name to store for a Telegram user: their first name cleaned, else the username,
 * else `FALLBACK_PLAYER_NAME`. Never empty; always passes `normalizeName`.
 */
export function profileFirstName(firstName: string, username: string | null): string {
  return sanitizeDisplayName(firstName) ?? sanitizeUsername(username) ?? FALLBACK_PLAYER_NAME;
}
