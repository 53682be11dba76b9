/**
 * Colyseus's room listings for one process, indexed. The stock LocalDriver copies and scans
 * every listing on each lookup (and each save and removal scans again): with one home per
 * player, joins cost O(rooms), which at 10,000 rooms is most of a join's CPU. This driver keeps
 * the listings by room id and by the filter field homes are found by (`ownerId`), so a join,
 * a reconnection and a seat reservation are one Map lookup. Queries that name neither (the
 * room inspector, cleanup) scan, as before, with the same matching and sorting.
 */
import type { IRoomCache, MatchMakerDriver, RoomCache, SortOptions } from '@colyseus/core';

/** The listing field homes are found by (`filterBy(['ownerId'])`). */
const INDEXED_FIELD = 'ownerId';

type Conditions = Partial<IRoomCache>;

class LocalListing implements RoomCache {
  roomId = '';
  name = '';
  processId = '';
  clients = 0;
  maxClients = Infinity;
  locked = false;
  private = false;
  unlisted = false;
  metadata: unknown = undefined;
  createdAt = new Date();
  [property: string]: unknown;

  constructor(initialValues: Conditions, driver: IndexedLocalDriver) {
    Object.assign(this, initialValues);
    // Not a listing field: kept out of enumeration (listings are sent to clients and admins as they are).
    Object.defineProperty(this, '$driver', { value: driver, enumerable: false, writable: false });
  }

  private get driver(): IndexedLocalDriver {
    return (this as unknown as { $driver: IndexedLocalDriver }).$driver;
  }

  save(): void {
    this.driver.add(this);
  }

  updateOne(operations: { $set?: Record<string, unknown>; $inc?: Record<string, number> }): void {
    if (operations.$set) for (const [field, value] of Object.entries(operations.$set)) this[field] = value;
    if (operations.$inc) for (const [field, by] of Object.entries(operations.$inc)) this[field] = (this[field] as number) + by;
  }

  remove(): void {
    this.driver.remove(this);
  }
}

function matches(listing: IRoomCache, conditions: Conditions): boolean {
  for (const field in conditions) {
    if (Object.hasOwn(conditions, field) && listing[field] !== conditions[field]) return false;
  }
  return true;
}

function sorted(listings: IRoomCache[], options: SortOptions): IRoomCache[] {
  return listings.sort((a, b) => {
    for (const [field, direction] of Object.entries(options)) {
      const ascending = direction === 1 || direction === 'asc' || direction === 'ascending';
      const av = a[field] as number | string;
      const bv = b[field] as number | string;
      if (av > bv) return ascending ? 1 : -1;
      if (av < bv) return ascending ? -1 : 1;
    }
    return 0;
  });
}

export class IndexedLocalDriver implements MatchMakerDriver {
  private readonly byRoomId = new Map<string, LocalListing>();
  /** Listings by their INDEXED_FIELD value, in the order they were saved. */
  private readonly byField = new Map<string, Set<LocalListing>>();

  createInstance(initialValues: Conditions = {}): RoomCache {
    return new LocalListing(initialValues, this);
  }

  has(roomId: string): boolean {
    return this.byRoomId.has(roomId);
  }

  query(conditions: Conditions, sortOptions?: SortOptions): IRoomCache[] {
    const found = this.candidates(conditions).filter((listing) => matches(listing, conditions));
    return sortOptions ? sorted(found, sortOptions) : found;
  }

  findOne(conditions: Conditions, sortOptions?: SortOptions): Promise<RoomCache> {
    const found = this.candidates(conditions).filter((listing) => matches(listing, conditions));
    const first = (sortOptions && found.length > 1 ? sorted(found, sortOptions) : found)[0];
    // The interface promises a listing; Colyseus checks for none, as with the stock driver.
    return Promise.resolve(first as RoomCache);
  }

  cleanup(processId: string): Promise<void> {
    for (const listing of this.query({ processId })) (listing as LocalListing).remove();
    return Promise.resolve();
  }

  clear(): void {
    this.byRoomId.clear();
    this.byField.clear();
  }

  shutdown(): void {}

  /** Number of listings (tests). */
  get size(): number {
    return this.byRoomId.size;
  }

  add(listing: LocalListing): void {
    const known = this.byRoomId.get(listing.roomId);
    if (known === listing) return;
    if (known) this.remove(known);
    this.byRoomId.set(listing.roomId, listing);
    const key = listing[INDEXED_FIELD];
    if (typeof key === 'string') {
      let set = this.byField.get(key);
      if (!set) this.byField.set(key, (set = new Set()));
      set.add(listing);
    }
  }

  remove(listing: LocalListing): void {
    if (this.byRoomId.get(listing.roomId) !== listing) return;
    this.byRoomId.delete(listing.roomId);
    const key = listing[INDEXED_FIELD];
    if (typeof key !== 'string') return;
    const set = this.byField.get(key);
    set?.delete(listing);
    if (set?.size === 0) this.byField.delete(key);
  }

  /** The listings that can match: one by room id, those of one owner, or all of them. */
  private candidates(conditions: Conditions): LocalListing[] {
    if (typeof conditions.roomId === 'string') {
      const listing = this.byRoomId.get(conditions.roomId);
      return listing ? [listing] : [];
    }
    const key: unknown = conditions[INDEXED_FIELD];
    if (typeof key === 'string') return [...(this.byField.get(key) ?? [])];
    return [...this.byRoomId.values()];
  }
}
