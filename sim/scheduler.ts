/**
 * A binary min-heap of (game time, entity id) pairs in typed arrays: the world's agenda of
 * the next rate-changing event of every pet. Entries are never removed in place; an entry
 * whose time no longer equals the pet's `nextEventAt` is stale and skipped when popped.
 */
export interface EventHeap {
  times: Float64Array;
  eids: Uint32Array;
  size: number;
}

export function createEventHeap(initialCapacity = 1024): EventHeap {
  return { times: new Float64Array(initialCapacity), eids: new Uint32Array(initialCapacity), size: 0 };
}

export function heapPush(heap: EventHeap, time: number, eid: number): void {
  if (heap.size === heap.times.length) {
    const times = new Float64Array(heap.times.length * 2);
    times.set(heap.times);
    const eids = new Uint32Array(heap.eids.length * 2);
    eids.set(heap.eids);
    heap.times = times;
    heap.eids = eids;
  }
  const { times, eids } = heap;
  let i = heap.size++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const parentTime = times[parent] as number;
    if (parentTime <= time) break;
    times[i] = parentTime;
    eids[i] = eids[parent] as number;
    i = parent;
  }
  times[i] = time;
  eids[i] = eid;
}

/** Time of the earliest entry, or Infinity when empty. */
export function heapPeekTime(heap: EventHeap): number {
  return heap.size > 0 ? (heap.times[0] as number) : Infinity;
}

/** Removes the earliest entry and returns its entity id; call only when `size > 0`. */
export function heapPop(heap: EventHeap): number {
  const { times, eids } = heap;
  const top = eids[0] as number;
  const last = --heap.size;
  if (last === 0) return top;
  const time = times[last] as number;
  const eid = eids[last] as number;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= last) break;
    const right = left + 1;
    const child = right < last && (times[right] as number) < (times[left] as number) ? right : left;
    if ((times[child] as number) >= time) break;
    times[i] = times[child] as number;
    eids[i] = eids[child] as number;
    i = child;
  }
  times[i] = time;
  eids[i] = eid;
  return top;
}

/** Drops every entry for which `keep` is false, then restores heap order. */
export function heapFilter(heap: EventHeap, keep: (time: number, eid: number) => boolean): void {
  const entries: Array<[number, number]> = [];
  for (let i = 0; i < heap.size; i++) {
    const time = heap.times[i] as number;
    const eid = heap.eids[i] as number;
    if (keep(time, eid)) entries.push([time, eid]);
  }
  heap.size = 0;
  for (const [time, eid] of entries) heapPush(heap, time, eid);
}
