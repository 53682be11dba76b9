import assert from 'node:assert/strict';
import { createMetrics } from '../../../server/metrics.js';

describe('metrics', () => {
  it('keeps the default process metrics that stay cheap under load, and counts descriptors without blocking', async () => {
    const { registry } = createMetrics();
    const text = await registry.metrics();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    // Grouping every open handle by type costs O(sockets) on the event loop at each scrape.
    assert.doesNotMatch(text, /^nodejs_active_(handles|requests|resources)/m);
    if (process.platform === 'linux') {
      const fds = Number(/^process_open_fds (\d+)$/m.exec(text)?.[1]);
      assert.ok(fds > 2, `process_open_fds ${fds}`);
    }
  });

  it('gives every app its own registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.rooms.inc({ room: 'home' });
    assert.match(await a.registry.metrics(), /^colyseus_rooms\{room="home"\} 1$/m);
    assert.doesNotMatch(await b.registry.metrics(), /^colyseus_rooms\{room="home"\} 1$/m);
  });
});
