import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AlbumPictureDto } from '../../../../shared/dto.js';
import { AlbumPaging, PREFETCH_AHEAD } from '../../../../client/src/features/album/album-paging.js';

const pic = (id: string): AlbumPictureDto => ({
  id,
  url: `/api/v1/images/${id}`,
  stage: 'egg',
  adultForm: 'none',
  skin: 'default',
  provider: 'procedural',
  regenerated: false,
  createdAt: '2026-06-17T12:00:00.000Z',
  readyAt: '2026-06-17T12:00:01.000Z',
  current: false,
});

describe('album paging', () => {
  it('asks for the first page, then for the next only a few pictures before the end, one request at a time', () => {
    const paging = new AlbumPaging();
    assert.deepEqual(paging.nextRequest(), { cursor: undefined });
    paging.begin();
    assert.equal(paging.nextRequest(), null, 'one at a time');
    paging.accept({ items: ['a', 'b', 'c', 'd', 'e', 'f'].map(pic), nextCursor: 'c1', total: 9 });
    assert.equal(paging.nextRequest(), null, 'far from the end');
    assert.equal(paging.total, 9);
    paging.move(6 - 1 - PREFETCH_AHEAD);
    assert.equal(paging.nextRequest(), null, `${PREFETCH_AHEAD + 1} pictures ahead`);
    paging.move(1);
    assert.deepEqual(paging.nextRequest(), { cursor: 'c1' });
    paging.begin();
    paging.failed();
    assert.deepEqual(paging.nextRequest(), { cursor: 'c1' }, 'a failed page is asked for again');
    paging.begin();
    paging.accept({ items: ['g', 'h', 'i'].map(pic), nextCursor: null, total: 9 });
    assert.equal(paging.complete, true);
    paging.move(100);
    assert.equal(paging.index, 8);
    assert.equal(paging.nextRequest(), null, 'nothing after the last page');
  });

  it('keeps each picture once and never shows a position past what is loaded', () => {
    const paging = new AlbumPaging();
    paging.accept({ items: ['a', 'b'].map(pic), nextCursor: 'x', total: 2 });
    paging.accept({ items: ['b', 'c'].map(pic), nextCursor: null, total: 3 });
    assert.deepEqual(paging.items.map((p) => p.id), ['a', 'b', 'c']);
    assert.equal(paging.move(-1), false, 'already at the first');
    assert.equal(paging.canMove(-1), false);
    assert.equal(paging.move(1), true);
    assert.equal(paging.current?.id, 'b');
    assert.equal(paging.total, 3);
  });

  it('an empty album is complete after its first page', () => {
    const paging = new AlbumPaging();
    paging.accept({ items: [], nextCursor: null, total: 0 });
    assert.equal(paging.complete, true);
    assert.equal(paging.current, null);
    assert.equal(paging.canMove(1), false);
    assert.equal(paging.nextRequest(), null);
  });

  it('walking any album by any steps loads every page once, in order, and the index stays in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 80 }), (size, pageSize, steps) => {
        const all = Array.from({ length: size }, (_, i) => `p${i}`);
        const paging = new AlbumPaging();
        let requests = 0;
        const serve = () => {
          const next = paging.nextRequest();
          if (!next) return;
          requests++;
          paging.begin();
          const start = next.cursor === undefined ? 0 : Number(next.cursor);
          const end = Math.min(start + pageSize, size);
          paging.accept({ items: all.slice(start, end).map(pic), nextCursor: end < size ? String(end) : null, total: size });
        };
        serve();
        for (const step of [...steps, ...Array(size).fill(1)]) {
          paging.move(step);
          serve();
          assert.ok(paging.index >= 0 && paging.index <= Math.max(0, paging.items.length - 1));
        }
        assert.deepEqual(paging.items.map((p) => p.id), all);
        assert.equal(requests, Math.max(1, Math.ceil(size / pageSize)));
      }),
    );
  });
});
