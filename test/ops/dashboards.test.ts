/**
 * The Grafana dashboards and the alert rules read only metrics the app exposes: every metric
 * name in their PromQL is one the server's or the worker's registry (both createMetrics())
 * serves at /metrics, so renaming a metric breaks this test rather than a dashboard panel.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../../server/metrics.js';
import {
  PROMETHEUS_SERIES,
  REPO,
  alertExpressions,
  dashboardFiles,
  dashboardQueries,
  exposedNames,
  metricNames,
  panelsOf,
  readDashboard,
} from './promql.js';

describe('Grafana dashboards and alert rules', () => {
  let exposed: Set<string>;

  before(async () => {
    // What GET /metrics serves: the server and the worker both expose createMetrics()'s registry.
    exposed = exposedNames(await createMetrics().registry.metrics());
  });

  it('reads metric names out of PromQL (functions, labels, ranges and keywords left out)', () => {
    assert.deepEqual(
      metricNames('histogram_quantile(0.99, sum by (le, instance) (rate(sim_tick_duration_seconds_bucket{job="a"}[$__rate_interval])))'),
      ['sim_tick_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('sum(rate(a_total[5m])) / clamp_min(sum(rate(b_total[5m])) + 1e-9, 1) > 0.1 and on (x) up == 0').sort(), ['a_total', 'b_total', 'up']);
    assert.deepEqual(metricNames('max by (state) (image_queue_jobs{state="waiting"}) offset 5m'), ['image_queue_jobs']);
  });

  it('has the game, economy, images and notifications dashboards, each with unique uids and panel ids', () => {
    const dashboards = dashboardFiles().map(readDashboard);
    assert.deepEqual(dashboards.map((d) => d.uid).sort(), ['telepets-economy', 'telepets-game', 'telepets-images', 'telepets-notifications']);
    for (const d of dashboards) {
      const ids = panelsOf(d).map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, `${d.title}: panel ids are unique`);
      for (const p of panelsOf(d)) {
        assert.ok((p.targets ?? []).length > 0, `${d.title} / ${p.title}: has queries`);
        // The provisioned data source (deploy/grafana/provisioning/datasources/prometheus.yml).
        assert.equal(p.datasource?.uid, 'prometheus', `${d.title} / ${p.title}: the provisioned Prometheus data source`);
      }
    }
    const provisioned = fs.readFileSync(path.join(REPO, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8');
    assert.match(provisioned, /^\s*uid: prometheus$/m);
  });

  it('uses only metrics the app exposes in every dashboard query', () => {
    const queries = dashboardQueries();
    assert.ok(queries.length >= 40, `${queries.length} queries`);
    const missing: string[] = [];
    for (const q of queries) {
      const names = metricNames(q.expr);
      assert.ok(names.length > 0, `${q.dashboard} / ${q.panel}: "${q.expr}" reads a metric`);
      for (const name of names) if (!exposed.has(name) && !PROMETHEUS_SERIES.has(name)) missing.push(`${q.dashboard} / ${q.panel}: ${name}`);
    }
    assert.deepEqual(missing, [], 'metrics not exposed by createMetrics()');
  });

  it('shows what the issue asks for on each dashboard', () => {
    const read = (uid: string) => new Set(dashboardQueries().filter((q) => q.dashboard === readDashboard(path.join(REPO, `deploy/grafana/dashboards/${uid}.json`)).title).flatMap((q) => metricNames(q.expr)));
    const expect = (uid: string, names: string[]) => {
      const used = read(uid);
      for (const n of names) assert.ok(used.has(n), `${uid} shows ${n}`);
    };
    expect('game', [
      'colyseus_clients', 'colyseus_rooms', 'sim_loaded_pets', 'sim_tick_duration_seconds_bucket', 'nodejs_eventloop_lag_p99_seconds',
      'snapshot_flush_duration_seconds_bucket', 'snapshot_flush_rows_total', 'http_errors_total', 'http_request_duration_seconds_bucket',
    ]);
    expect('economy', ['shop_purchases_total', 'stars_revenue_stars_total', 'stars_refunds_total', 'coins_earned_total', 'coins_spent_total']);
    expect('images', ['image_queue_jobs', 'image_job_duration_seconds_bucket', 'image_job_failures_total', 'image_jobs_completed_total']);
    expect('notifications', ['notifications_total', 'event_relay_lag_seconds', 'events_relayed_total']);
  });

  it('uses only metrics the app exposes in every alert rule, and each alert says what to do', () => {
    const rules = alertExpressions();
    assert.ok(rules.length >= 10, `${rules.length} rules`);
    const missing: string[] = [];
    for (const r of rules) {
      for (const name of metricNames(r.expr)) if (!exposed.has(name) && !PROMETHEUS_SERIES.has(name)) missing.push(`${r.alert}: ${name}`);
    }
    assert.deepEqual(missing, []);
    const text = fs.readFileSync(path.join(REPO, 'deploy/prometheus/alerts.yml'), 'utf8');
    const deployDoc = fs.readFileSync(path.join(REPO, 'docs/deploy.md'), 'utf8');
    for (const block of text.split(/\n(?=[ \t]*- alert:)/).slice(1)) {
      const alert = /- alert:\s*(\S+)/.exec(block)?.[1] as string;
      for (const key of ['summary', 'description', 'runbook']) assert.match(block, new RegExp(`\\n\\s+${key}: "`), `${alert} has a ${key}`);
      const anchor = /runbook: "docs\/deploy\.md#([a-z-]+)"/.exec(block)?.[1];
      assert.ok(anchor, `${alert}: its runbook is a section of docs/deploy.md`);
      // GitHub's anchor of a "### Name" heading is the name in lower case.
      assert.ok(deployDoc.split('\n').some((l) => /^#{2,4} /.test(l) && l.replace(/^#+ /, '').trim().toLowerCase() === anchor), `docs/deploy.md has a section #${anchor} for ${alert}`);
    }
  });
});
