import assert from 'node:assert/strict';
import { closeLazy, Lazy } from '../../../client/src/kit/lazy.js';

/** A load the test settles by hand, counting how often it was started. */
function manualLoad<T>() {
  const calls: Array<{ resolve: (value: T) => void; reject: (error: unknown) => void }> = [];
  const load = () =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { calls, load };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A lazy part whose hooks record what they were told. */
function lazyWith<T>(load: () => Promise<T>) {
  const failures: string[] = [];
  const waits: string[] = [];
  const lazy = new Lazy(load, {
    waiting: () => {
      waits.push('start');
      return () => waits.push('end');
    },
    failed: () => failures.push('failed'),
  });
  return { lazy, failures, waits };
}

describe('client lazy parts (kit/lazy.ts)', () => {
  it('loads once for a double tap and opens once', async () => {
    const { calls, load } = manualLoad<string>();
    const { lazy, waits } = lazyWith(load);
    const opened: string[] = [];
    lazy.open((v) => opened.push(`first ${v}`));
    lazy.open((v) => opened.push(`second ${v}`));
    assert.equal(lazy.waiting, true);
    assert.equal(calls.length, 1);
    calls[0]?.resolve('shop');
    await flush();
    assert.deepEqual(opened, ['first shop']);
    assert.deepEqual(waits, ['start', 'end'], 'one loading display, ended when the code arrived');
    assert.equal(lazy.current, 'shop');
    lazy.open((v) => opened.push(`again ${v}`));
    assert.deepEqual(opened, ['first shop', 'again shop'], 'a loaded part opens at once');
    assert.equal(calls.length, 1);
  });

  it('says a failed load in a toast and loads again on the next tap', async () => {
    const { calls, load } = manualLoad<string>();
    const { lazy, failures } = lazyWith(load);
    const opened: string[] = [];
    lazy.open((v) => opened.push(v));
    calls[0]?.reject(new Error('chunk failed'));
    await flush();
    assert.deepEqual(failures, ['failed']);
    assert.equal(lazy.current, null);
    assert.equal(lazy.waiting, false);
    lazy.open((v) => opened.push(v));
    assert.equal(calls.length, 2, 'the retry starts a new load');
    calls[1]?.resolve('bag');
    await flush();
    assert.deepEqual(opened, ['bag']);
  });

  it('opens nothing when cancelled while loading, and shares a prefetch with the next open', async () => {
    const { calls, load } = manualLoad<string>();
    const { lazy, failures, waits } = lazyWith(load);
    const opened: string[] = [];
    const prefetch = lazy.ensure();
    lazy.open((v) => opened.push(v));
    lazy.cancel();
    assert.deepEqual(waits, ['start', 'end'], 'cancelling ends the loading display');
    assert.equal(calls.length, 1);
    calls[0]?.resolve('games');
    assert.equal(await prefetch, 'games');
    await flush();
    assert.deepEqual(opened, []);
    assert.deepEqual(failures, []);
    assert.equal(lazy.current, 'games');
  });

  it('closes a sheet: drops an open still loading, hides one on show, and says whether it hid one', async () => {
    const { calls, load } = manualLoad<{ open: boolean; hide(): void }>();
    const { lazy, waits } = lazyWith(load);
    const opened: string[] = [];
    lazy.open(() => opened.push('opened'));
    assert.equal(closeLazy(lazy), false);
    assert.deepEqual(waits, ['start', 'end']);
    const sheet = { open: true, hide: () => { sheet.open = false; } };
    calls[0]?.resolve(sheet);
    await flush();
    assert.deepEqual(opened, []);
    assert.equal(closeLazy(lazy), true);
    assert.equal(sheet.open, false);
    assert.equal(closeLazy(lazy), false);
  });
});
