/**
 * What the admin panel reads about players: search (by Telegram id, invite code, username
 * prefix, pet name prefix; indexes of migration 0017) and the rows of a player's page.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { walletAccount } from './ledger-repository.js';

export type SearchMatch = 'telegram_id' | 'invite_code' | 'username' | 'pet_name';

/** A position in one search stream: the sort key and the id after which the next page starts. */
export interface StreamPosition {
  key: string;
  id: string;
}

export interface SearchHit {
  matchedBy: SearchMatch;
  position: StreamPosition;
  player: {
    id: string;
    telegram_id: number;
    first_name: string;
    last_name: string | null;
    username: string | null;
    invite_code: string;
    created_at: number;
    banned_at: number | null;
  };
}

const PLAYER_COLUMNS = ['p.id', 'p.telegram_id', 'p.first_name', 'p.last_name', 'p.username', 'p.invite_code', 'p.created_at', 'p.banned_at'] as const;

/** Escapes LIKE's wildcards (backslash is the escape character on Postgres). */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The least string greater than every string that starts with `prefix` (by code point). */
function nextPrefix(prefix: string): string {
  const points = [...prefix];
  const last = (points.pop() ?? '').codePointAt(0) ?? 0;
  if (last >= 0x10ffff) return `${prefix}\u{10FFFF}`;
  return points.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
}

export class AdminPlayersRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * `lower(column)` starts with `lower(prefix)`, in a form the expression index serves:
   * LIKE on Postgres (text_pattern_ops), a range on SQLite.
   */
  private prefixMatch(column: RawBuilder<unknown>, prefix: string): RawBuilder<boolean> {
    if (this.dialect === 'postgres') {
      // The range (text_pattern_ops operators) serves the index in generic plans too, where a
      // LIKE with a bound pattern would not; LIKE keeps the match exact.
      const lo = prefix.toLowerCase();
      return sql<boolean>`lower(${column}) ~>=~ ${lo} and lower(${column}) ~<~ ${nextPrefix(lo)} and lower(${column}) like lower(${likePrefix(prefix)})`;
    }
    return sql<boolean>`lower(${column}) >= lower(${prefix}) and lower(${column}) < lower(${prefix}) || char(1114111)`;
  }

  /** The sort key of a prefix stream, ordered by code point on both databases. */
  private sortKey(column: RawBuilder<unknown>): RawBuilder<string> {
    return this.dialect === 'postgres' ? sql<string>`lower(${column}) collate "C"` : sql<string>`lower(${column})`;
  }

  async byTelegramId(telegramId: number): Promise<SearchHit[]> {
    const row = await this.db.selectFrom('players as p').select(PLAYER_COLUMNS).where('p.telegram_id', '=', telegramId).executeTakeFirst();
    return row ? [{ matchedBy: 'telegram_id', position: { key: '0', id: row.id }, player: norm(row) }] : [];
  }

  async byInviteCode(code: string): Promise<SearchHit[]> {
    const row = await this.db.selectFrom('players as p').select(PLAYER_COLUMNS).where('p.invite_code', '=', code.toUpperCase()).executeTakeFirst();
    return row ? [{ matchedBy: 'invite_code', position: { key: '1', id: row.id }, player: norm(row) }] : [];
  }

  /** Players whose username starts with `prefix` (case-insensitive), by username. */
  async byUsernamePrefix(prefix: string, after: StreamPosition | null, limit: number): Promise<SearchHit[]> {
    const column = sql.ref('p.username');
    const key = this.sortKey(column);
    let q = this.db
      .selectFrom('players as p')
      .select([...PLAYER_COLUMNS, key.as('sort_key')])
      .where(this.prefixMatch(column, prefix));
    if (after) q = q.where(sql<boolean>`(${key}, p.id) > (${after.key}, ${after.id})`);
    const rows = await q.orderBy(key).orderBy('p.id').limit(limit).execute();
    return rows.map((r) => ({ matchedBy: 'username' as const, position: { key: r.sort_key, id: r.id }, player: norm(r) }));
  }

  /** Owners of pets whose name starts with `prefix` (case-insensitive), by pet name. */
  async byPetNamePrefix(prefix: string, after: StreamPosition | null, limit: number): Promise<SearchHit[]> {
    const column = sql.ref('pt.name');
    const key = this.sortKey(column);
    let q = this.db
      .selectFrom('pets as pt')
      .innerJoin('players as p', 'p.id', 'pt.owner_id')
      .select([...PLAYER_COLUMNS, key.as('sort_key'), 'pt.id as pet_id'])
      .where(this.prefixMatch(column, prefix));
    if (after) q = q.where(sql<boolean>`(${key}, pt.id) > (${after.key}, ${after.id})`);
    const rows = await q.orderBy(key).orderBy('pt.id').limit(limit).execute();
    return rows.map((r) => ({ matchedBy: 'pet_name' as const, position: { key: r.sort_key, id: r.pet_id }, player: norm(r) }));
  }

  /** Pet count and the oldest pet's name per player. */
  async petsOf(playerIds: readonly string[]): Promise<Map<string, { count: number; firstName: string | null }>> {
    const out = new Map<string, { count: number; firstName: string | null }>();
    if (playerIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('pets')
      .select(['owner_id', 'name'])
      .where('owner_id', 'in', playerIds)
      .orderBy('owner_id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const seen = out.get(r.owner_id);
      if (seen) seen.count++;
      else out.set(r.owner_id, { count: 1, firstName: r.name });
    }
    return out;
  }

  findPlayer(playerId: string) {
    return this.db.selectFrom('players').selectAll().where('id', '=', playerId).executeTakeFirst();
  }

  /** The last `limit` entries of the player's coin wallet, newest first, with the balance after each. */
  walletEntries(playerId: string, limit: number) {
    return this.db
      .selectFrom('ledger_transactions as t')
      .innerJoin('ledger_entries as e', (j) => j.onRef('e.transaction_id', '=', 't.id').on('e.account_id', '=', walletAccount(playerId)))
      .select(['t.id', 't.created_at', 't.reason', 't.meta', 'e.amount', 'e.balance_after'])
      .where('t.player_id', '=', playerId)
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(limit)
      .execute();
  }

  starOrders(playerId: string, limit: number) {
    return this.db.selectFrom('star_orders').selectAll().where('player_id', '=', playerId).orderBy('created_at', 'desc').limit(limit).execute();
  }

  starPayments(playerId: string, limit: number) {
    return this.db.selectFrom('star_payments').selectAll().where('player_id', '=', playerId).orderBy('created_at', 'desc').limit(limit).execute();
  }

  /** Every friend (banned ones too: the panel shows them), oldest friendship first. */
  friends(playerId: string, limit: number) {
    return this.db
      .selectFrom('friendships as f')
      .innerJoin('players as p', 'p.id', 'f.friend_id')
      .select(['p.id', 'p.first_name', 'p.username'])
      .where('f.player_id', '=', playerId)
      .orderBy('f.created_at')
      .orderBy('p.id')
      .limit(limit)
      .execute();
  }

  notifyRow(playerId: string) {
    return this.db.selectFrom('notify_players').selectAll().where('player_id', '=', playerId).executeTakeFirst();
  }

  /** The player's anti-fraud flags (migration 0018), open and decided, last seen first. */
  flags(playerId: string, limit: number) {
    return this.db
      .selectFrom('fraud_flags')
      .select(['id', 'kind', 'severity', 'status', 'count', 'last_seen_at'])
      .where('player_id', '=', playerId)
      .orderBy('last_seen_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}

function norm<T extends { telegram_id: number | string; created_at: number | string; banned_at: number | string | null }>(row: T) {
  return {
    ...row,
    telegram_id: Number(row.telegram_id),
    created_at: Number(row.created_at),
    banned_at: row.banned_at === null ? null : Number(row.banned_at),
  } as SearchHit['player'] & T;
}
