/**
 * What the operations tests read from the repository's monitoring files: the PromQL of every
 * Grafana dashboard and alert rule, and the metric names in it. Also for a test that checks
 * them against what a running Prometheus scraped.
 */
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const DASHBOARD_DIR = path.join(REPO, 'deploy/grafana/dashboards');
export const ALERTS_FILE = path.join(REPO, 'deploy/prometheus/alerts.yml');

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Array<{ expr?: string; refId?: string; datasource?: { uid?: string } }>;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

export function dashboardFiles(): string[] {
  return fs
    .readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(DASHBOARD_DIR, f));
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function dashboardQueries(): DashboardQuery[] {
  return dashboardFiles().flatMap((file) => {
    const d = readDashboard(file);
    return panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => ({ dashboard: d.title, panel: p.title ?? '?', expr: t.expr ?? '' })));
  });
}

/** The `expr` of every rule in alerts.yml (one line, or a `|` block of more-indented lines). */
export function alertExpressions(text = fs.readFileSync(ALERTS_FILE, 'utf8')): Array<{ alert: string; expr: string }> {
  const lines = text.split('\n');
  const out: Array<{ alert: string; expr: string }> = [];
  let alert = '?';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const named = /^\s*- alert:\s*(\S+)/.exec(line);
    if (named) alert = named[1] as string;
    const m = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!m) continue;
    const indent = (m[1] as string).length;
    if (m[2] !== '|' && m[2] !== '>') {
      out.push({ alert, expr: m[2] as string });
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && ((lines[i + 1] as string).trim() === '' || /^\s*/.exec(lines[i + 1] as string)![0].length > indent)) {
      block.push((lines[++i] as string).trim());
    }
    out.push({ alert, expr: block.join(' ').trim() });
  }
  return out;
}

const FUNCTIONS_AND_KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions (followed by
 * `(`), keywords, label names (inside `{…}` or `by (…)`), durations or numbers.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = m[0];
    const after = stripped.slice((m.index ?? 0) + name.length).trimStart();
    if (after.startsWith('(')) continue;
    if (FUNCTIONS_AND_KEYWORDS.has(name.toLowerCase())) continue;
    // Exponents and units of numbers (1e-9) and durations come through here as `e`, `m`, …
    if (/^\d/.test(stripped.slice((m.index ?? 1) - 1, m.index ?? 0))) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * Every series name a Prometheus text exposition offers: each family's name, with
 * `_bucket`, `_count` and `_sum` for histograms (and `_count`, `_sum` for summaries).
 */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(name + s);
    if (type === 'summary') for (const s of ['_count', '_sum']) names.add(name + s);
  }
  return names;
}

/** Series Prometheus makes itself for every target. */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
