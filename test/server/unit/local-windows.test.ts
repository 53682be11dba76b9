import assert from 'node:assert/strict';
import { LocalWindows } from '../../../server/http/rate-limit.js';

describe('request limits counted in the process', () => {
  it('counts every request of a key in a fixed window that starts with its first one', () => {
    const windows = new LocalWindows(60_000);
    assert.deepEqual(windows.hit('a', 1000), { count: 1, ttlSeconds: 60 });
    assert.deepEqual(windows.hit('a', 31_000), { count: 2, ttlSeconds: 30 });
    assert.deepEqual(windows.hit('b', 31_000), { count: 1, ttlSeconds: 60 });
    assert.deepEqual(windows.hit('a', 60_999), { count: 3, ttlSeconds: 1 });
    assert.deepEqual(windows.hit('a', 61_000), { count: 1, ttlSeconds: 60 }, 'a new window');
  });

  it('keeps at most its capacity of keys, dropping the oldest window first', () => {
    const windows = new LocalWindows(60_000, 2);
    windows.hit('a', 0);
    windows.hit('a', 0);
    windows.hit('b', 1);
    windows.hit('c', 2);
    assert.equal(windows.hit('a', 3).count, 1, 'a was dropped');
    assert.equal(windows.hit('c', 3).count, 2);
  });
});
