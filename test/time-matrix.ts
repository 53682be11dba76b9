/**
 * The time matrix (`npm run test:time`, run by .ci/run after `npm test`): the time-sensitive
 * suites (streaks, quests, achievements, minigame caps, sleep and quiet hours, the player's day
 * and time zone changes, shop promotions, daily picture budgets and quotas, the simulation) once per instant below, each in a process whose wall
 * clock Debian's `faketime` (libfaketime) starts at that instant, in that time zone. Tests pin
 * their own clocks, so every run must pass: a failure here is a test or a server path that
 * still reads the wall clock or the machine's time zone.
 *
 * Between them the instants cover every weekday, a month end, a year end, both DST changes in
 * Europe/Berlin and America/New_York, the hours just before midnight and after noon, and the
 * time zones furthest from UTC.
 *
 * SQLite only (the database does not change what a clock does; Postgres doubles the time):
 * `npm run test:time -- --postgres` runs both dialects. `--only <text>` runs the instants
 * whose name contains the text.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const MOCHA = path.join(ROOT, 'node_modules/mocha/bin/mocha.js');

const SUITES = [
  'test/sim/*.test.ts',
  'test/server/economy/progress.test.ts',
  'test/server/minigames.test.ts',
  'test/server/life.test.ts',
  'test/server/economy/shop.test.ts',
  'test/server/images/images-api.test.ts',
  'test/server/images/image-quota.test.ts',
  'test/server/utc-offset.test.ts',
  'test/shared/local-day.test.ts',
];
/** Left out: the other dialect, and a test that waits 10 real seconds for a pet to grow and reads no date. */
const SKIP = ['\\[postgres\\]', 'pet images: pre-generation and stage changes'];

interface Instant {
  name: string;
  /** IANA time zone of the process (TZ). */
  tz: string;
  /** Where the faked clock starts, with its UTC offset (unambiguous even in a repeated DST hour). */
  at: string;
}

const INSTANTS: readonly Instant[] = [
  { name: 'month end, before midnight UTC', tz: 'UTC', at: '2026-11-30T23:59:50Z' },
  { name: 'noon, UTC+14', tz: 'Pacific/Kiritimati', at: '2027-01-05T11:59:50+14:00' },
  { name: '23:30, UTC-11', tz: 'Pacific/Pago_Pago', at: '2027-01-06T23:30:00-11:00' },
  { name: 'year end, before midnight UTC', tz: 'UTC', at: '2026-12-31T23:59:50Z' },
  { name: '23:30 UTC', tz: 'UTC', at: '2027-01-08T23:30:00Z' },
  { name: 'after midnight, UTC+5:30', tz: 'Asia/Kolkata', at: '2027-01-09T00:00:05+05:30' },
  { name: 'DST starts in Berlin (02:00 CET -> 03:00 CEST)', tz: 'Europe/Berlin', at: '2027-03-28T01:59:50+01:00' },
  { name: 'DST ends in Berlin (03:00 CEST -> 02:00 CET)', tz: 'Europe/Berlin', at: '2026-10-25T02:59:50+02:00' },
  { name: 'DST starts in New York (02:00 EST -> 03:00 EDT)', tz: 'America/New_York', at: '2027-03-14T01:59:50-05:00' },
  { name: 'DST ends in New York (02:00 EDT -> 01:00 EST)', tz: 'America/New_York', at: '2026-11-01T01:59:50-04:00' },
];

/**
 * libfaketime fakes the wall clock only: the monotonic clock stays real (timers, performance.now
 * and the tests' own clocks run normally). The start instant is given as epoch seconds. Child
 * processes continue the faked clock instead of starting again at the instant.
 */
function fakedEnv(instant: Instant): NodeJS.ProcessEnv {
  return { ...process.env, TZ: instant.tz, FAKETIME_FMT: '%s', FAKETIME_DONT_FAKE_MONOTONIC: '1', FAKETIME_DONT_RESET: '1' };
}

const fakedArgs = (instant: Instant, command: string[]): string[] => ['-f', `@${Date.parse(instant.at) / 1000}`, ...command];

function localTime(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(ms);
}

/** What Node sees under the faked clock: a run whose clock is not faked would prove nothing. */
function checkFaked(instant: Instant): string {
  const probe = spawnSync('faketime', fakedArgs(instant, [process.execPath, '-e', 'console.log(Date.now(), new Date().toString())']), { env: fakedEnv(instant), encoding: 'utf8', timeout: 30_000 });
  const [ms, ...shown] = probe.stdout.trim().split(' ');
  const drift = Number(ms) - Date.parse(instant.at);
  if (probe.status !== 0 || !(Math.abs(drift) < 60_000)) {
    throw new Error(`faketime did not take effect for ${instant.at} (${instant.tz}): node printed ${JSON.stringify(probe.stdout)} ${probe.stderr}`);
  }
  return shown.join(' ');
}

function runSuites(instant: Instant, postgres: boolean): Promise<number | null> {
  const skip = postgres ? SKIP.slice(1) : SKIP;
  const mocha = [process.execPath, MOCHA, '--reporter', 'dot', '--grep', skip.join('|'), '--invert', ...SUITES];
  const child = spawn('faketime', fakedArgs(instant, mocha), { cwd: ROOT, env: fakedEnv(instant), stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const postgres = args.includes('--postgres');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : '';
  if (spawnSync('faketime', ['-f', '+0', 'true']).status !== 0) {
    console.error('[time] faketime is missing: apt-get install faketime');
    process.exit(1);
  }
  const instants = INSTANTS.filter((i) => i.name.includes(only));
  const results: Array<{ instant: Instant; code: number | null; seconds: number }> = [];
  const started = performance.now();
  for (const instant of instants) {
    const shown = checkFaked(instant);
    console.log(`\n[time] ${instant.name}: ${localTime(Date.parse(instant.at), instant.tz)} (${instant.at}), TZ=${instant.tz}; node sees ${shown}`);
    const t0 = performance.now();
    const code = await runSuites(instant, postgres);
    results.push({ instant, code, seconds: (performance.now() - t0) / 1000 });
  }
  console.log(`\n[time] ${results.length} runs (${postgres ? 'SQLite and Postgres' : 'SQLite'}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const r of results) console.log(`[time] ${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.instant.at} ${r.instant.tz.padEnd(18)} ${r.instant.name} (${r.seconds.toFixed(0)} s)`);
  if (results.length === 0 || results.some((r) => r.code !== 0)) process.exit(1);
}

await main();
