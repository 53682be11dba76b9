/** Numbers, coins, Stars, dates and durations in the panel's language (dates in the browser's time zone, days in UTC). */
import { language } from '../i18n.js';

const locale = (): string => (language() === 'ru' ? 'ru-RU' : 'en-GB');

export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

export function formatCoins(n: number): string {
  return `${formatNumber(n)} ${language() === 'ru' ? 'мон.' : 'coins'}`;
}

export function formatStars(n: number): string {
  return `${formatNumber(n)} ★`;
}

export function formatPercent(ratio: number | null, digits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(ratio);
}

/** Milliseconds with a sensible precision ("0.42 ms", "12 ms"), or a dash. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return `${formatNumber(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

export function formatDateTime(iso: string | number): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

export function formatTime(at: number | string): string {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(new Date(at));
}

/** A UTC day (YYYY-MM-DD) as a short date ("17 Jun"). */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** Seconds as "3d 4h", "2h 5m", "4m 10s", "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const ru = language() === 'ru';
  const [d, hh, m, ss] = ru ? ['д', 'ч', 'мин', 'с'] : ['d', 'h', 'm', 's'];
  if (s >= 86_400) return `${Math.floor(s / 86_400)}${d} ${Math.floor((s % 86_400) / 3600)}${hh}`;
  if (s >= 3600) return `${Math.floor(s / 3600)}${hh} ${Math.floor((s % 3600) / 60)}${m}`;
  if (s >= 60) return `${Math.floor(s / 60)}${m} ${s % 60}${ss}`;
  return `${s}${ss}`;
}

/** A short id for tables ("3f2a…9c1d"); the full one goes in the title. */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep + 2 ? id : `${id.slice(0, keep)}…`;
}
