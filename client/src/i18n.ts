/**
 * The client's view of the shared string tables: one current language for the whole app,
 * plus formatting helpers that only make sense in a UI (durations, error codes).
 */
import { EN, pickLanguage, translate, type I18nKey, type Language } from '../../shared/i18n.js';
import { isErrorCode } from '../../shared/errors.js';

let current: Language = 'en';

export function setLanguage(code: string | null | undefined): Language {
  current = pickLanguage(code);
  document.documentElement.lang = current;
  return current;
}

export function language(): Language {
  return current;
}

export function t(key: I18nKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}

/** True when `key` is in the string tables (for keys made from server ids). */
export function hasKey(key: string): key is I18nKey {
  return Object.hasOwn(EN, key);
}

const UNITS: ReadonlyArray<{ key: I18nKey; seconds: number }> = [
  { key: 'time.d', seconds: 86_400 },
  { key: 'time.h', seconds: 3_600 },
  { key: 'time.m', seconds: 60 },
  { key: 'time.s', seconds: 1 },
];

/**
 * Formats a duration as its two largest non-zero units ("2d 5h", "4m 10s"): precise enough
 * for a countdown, short enough for a phone header.
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const first = UNITS.findIndex((u) => seconds >= u.seconds);
  if (first < 0) return t('time.s', { n: 0 });
  const major = UNITS[first]!;
  const majorCount = Math.floor(seconds / major.seconds);
  const parts = [t(major.key, { n: majorCount })];
  const minor = UNITS[first + 1];
  if (minor) {
    // Only the unit right below the largest one: "1h 5m", never "1h 30s".
    const minorCount = Math.floor((seconds - majorCount * major.seconds) / minor.seconds);
    if (minorCount > 0) parts.push(t(minor.key, { n: minorCount }));
  }
  return parts.join(' ');
}

/** Words counted in the string tables: `plural.<word>.<one|few|many|other>`. */
type PluralWord = 'coins' | 'days' | 'times' | 'games' | 'freezes' | 'rewards' | 'streakDays' | 'streakWeeks';
type PluralForm = 'one' | 'few' | 'many' | 'other';

const pluralRules = new Map<Language, Intl.PluralRules>();

/** "3 days" / "3 дня": the count with the word in the form the language wants for it. */
export function plural(word: PluralWord, n: number): string {
  let rules = pluralRules.get(current);
  if (!rules) {
    rules = new Intl.PluralRules(current);
    pluralRules.set(current, rules);
  }
  const category = rules.select(n);
  const form: PluralForm = category === 'one' || category === 'few' || category === 'many' ? category : 'other';
  return t(`plural.${word}.${form}`, { n });
}

/** A short date in the current language ("26 Nov", "26 нояб."). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (date.getFullYear() !== new Date().getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(current, options).format(date);
}

/** The user-facing text for an error code from the registry (unknown codes read as INTERNAL). */
export function errorText(code: string): string {
  if (code === 'NETWORK') return t('net.offline');
  return isErrorCode(code) ? t(`error.${code}`) : t('error.INTERNAL');
}
