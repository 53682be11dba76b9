import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PET_NAME_MAX_LENGTH } from '../../shared/balance.js';
import { FALLBACK_PLAYER_NAME, normalizeName, profileFirstName, sanitizeDisplayName, sanitizeUsername } from '../../shared/names.js';

const nasty = fc.constantFrom(
  '\u0000', '\u0007', '\t', '\n', '\u0085', '\uD800', '\uDC00', '\u202E', '\u2066', '\u200B', '\u200C', '\u200D', '\u200E', '\u00AD',
  '\uFEFF', '\u2028', '\uFFFF', '\uE000', '\u{E0041}', 'e\u0301', '\u0301', '\u{1F469}', ' ', '\u3000', '\u00A0',
);
const unit = fc.oneof(
  nasty,
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom('a', 'Z', '7', 'Ж', 'ё', '.', '-'),
);
const anyString = fc.string({ unit, maxLength: 80 });

/** The invariants every accepted or cleaned name has (see shared/names.ts). */
function assertCleanName(name: string, maxLength: number): void {
  assert.equal(name, name.normalize('NFC'), 'NFC');
  assert.doesNotMatch(name, /^ | $| {2}/, 'no space at the ends, no double space');
  assert.doesNotMatch(name, /\p{Cs}|\p{Cc}|\p{Co}|\p{Cn}|[\u2028\u2029]/u, 'no surrogate, control, private-use or unassigned');
  const chars = [...name];
  chars.forEach((c, i) => {
    if (!/\p{Cf}/u.test(c)) return;
    assert.ok(c === '\u200C' || c === '\u200D', `format character U+${c.codePointAt(0)?.toString(16)}`);
    assert.ok(i > 0 && i < chars.length - 1, 'a joiner is between two characters');
  });
  assert.match(name, /[\p{L}\p{N}\p{P}\p{S}]/u, 'something visible');
  assert.ok(chars.length >= 1 && chars.length <= maxLength, 'length');
}

describe('shared/names', () => {
  describe('normalizeName', () => {
    it('refuses controls, format characters, surrogates, private use and invisible names', () => {
      const cases: Array<[string, string]> = [
        ['Bo\u0000b', 'control'],
        ['Bo\tb', 'control'],
        ['Bob\u202Egnp.exe', 'format'],
        ['\u2067Bob', 'format'],
        ['Bo\u00ADb', 'format'],
        ['\uFEFFBob', 'format'],
        ['\u200B\u200B', 'format'],
        ['a\u200D', 'format'],
        ['Bo\uD800b', 'surrogate'],
        ['Bo\uE000b', 'private_use'],
        ['Bo\uFFFFb', 'unassigned'],
        ['   ', 'empty'],
        ['', 'empty'],
        ['\u0301\u0301', 'invisible'],
        ['x'.repeat(PET_NAME_MAX_LENGTH + 1), 'too_long'],
      ];
      for (const [raw, reason] of cases) assert.deepEqual(normalizeName(raw), { ok: false, reason }, JSON.stringify(raw));
    });

    it('composes, tidies spaces, and keeps joiners between characters', () => {
      assert.deepEqual(normalizeName('  Zoe\u0308 \u3000 Smith '), { ok: true, name: 'Zoë Smith' });
      assert.deepEqual(normalizeName('\u0415\u0308\u0436\u0438\u043A'), { ok: true, name: 'Ёжик' });
      assert.deepEqual(normalizeName('\u{1F469}\u200D\u{1F469}\u200D\u{1F467}'), { ok: true, name: '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}' });
      assert.deepEqual(normalizeName('e\u0301'.repeat(PET_NAME_MAX_LENGTH)), { ok: true, name: 'é'.repeat(PET_NAME_MAX_LENGTH) });
    });

    it('accepts only clean names, and accepting is idempotent (property)', () => {
      fc.assert(
        fc.property(anyString, (raw) => {
          const result = normalizeName(raw);
          if (!result.ok) return;
          assertCleanName(result.name, PET_NAME_MAX_LENGTH);
          assert.deepEqual(normalizeName(result.name), result);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('profile fields', () => {
    it('cleans a Telegram first name rather than refusing it', () => {
      assert.equal(sanitizeDisplayName('Ev\u0000e'), 'Eve');
      assert.equal(sanitizeDisplayName('Ann\tLee'), 'Ann Lee');
      assert.equal(sanitizeDisplayName('\u202EAnn\u200B'), 'Ann');
      assert.equal(sanitizeDisplayName('\u200B\uFEFF'), null);
      assert.equal(sanitizeDisplayName('ab\u200D\u200Bcd'), 'abcd', 'a joiner left without a neighbour goes too');
      assert.equal(sanitizeDisplayName('ab cd', 3), 'ab', 'cut, without a trailing space');
    });

    it('falls back to the username, then to a fixed name', () => {
      assert.equal(profileFirstName('\u0000', 'eve_1'), 'eve_1');
      assert.equal(profileFirstName('\u0000', null), FALLBACK_PLAYER_NAME);
      assert.equal(sanitizeUsername('e\u0000v e!'), 'eve');
      assert.equal(sanitizeUsername('\u202E'), null);
    });

    it('always yields a clean name, whatever Telegram sends (property)', () => {
      fc.assert(
        fc.property(anyString, fc.option(anyString), (first, username) => {
          assertCleanName(profileFirstName(first, username), 64);
          const last = sanitizeDisplayName(first);
          if (last !== null) assertCleanName(last, 64);
          const user = sanitizeUsername(username);
          assert.ok(user === null || /^[A-Za-z0-9_]{1,32}$/.test(user));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
