/** Admin accounts, their refresh-token sessions and the audit log (migration 0015). */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AdminAccountsTable, AdminAuditTable, AdminRole, AdminSessionsTable, Database } from '../db/schema.js';

export type AdminAccountRow = Selectable<AdminAccountsTable>;
export type AdminSessionRow = Selectable<AdminSessionsTable>;
export type AdminAuditRow = Selectable<AdminAuditTable>;

/** Who did an admin action: an account, or the system acting on its own (a job, the CLI). */
export interface AuditActor {
  id: string | null;
  name: string;
}

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId: string | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetId?: string;
  /** Rows strictly older than this cursor (`<at>:<id>` from the previous page). */
  before?: { at: number; id: string };
  limit: number;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * Writes one audit row with `db`, which may be the transaction of the change it records (so
 * the change and its record commit together or not at all).
 */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, at: number): Promise<void> {
  await db
    .insertInto('admin_audit')
    .values({
      id: randomUUID(),
      at,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason ?? null,
      before: json(entry.before),
      after: json(entry.after),
      ip: entry.ip ?? null,
    })
    .execute();
}

export class AdminRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findAccountByName(name: string): Promise<AdminAccountRow | undefined> {
    return this.db.selectFrom('admin_accounts').selectAll().where('name', '=', name).executeTakeFirst();
  }

  findAccount(id: string): Promise<AdminAccountRow | undefined> {
    return this.db.selectFrom('admin_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAccounts(): Promise<AdminAccountRow[]> {
    return this.db.selectFrom('admin_accounts').selectAll().orderBy('name').execute();
  }

  async countAccounts(): Promise<number> {
    const row = await this.db.selectFrom('admin_accounts').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Creates an account; false when the name is taken (the unique constraint decides). */
  async createAccount(account: { name: string; role: AdminRole; passwordHash: string }, now: number): Promise<AdminAccountRow | null> {
    const row = {
      id: randomUUID(),
      name: account.name,
      role: account.role,
      password_hash: account.passwordHash,
      disabled_at: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    };
    const inserted = await this.db
      .insertInto('admin_accounts')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? row : null;
  }

  async updateAccount(id: string, patch: { role?: AdminRole; passwordHash?: string; disabledAt?: number | null }, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('admin_accounts')
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.passwordHash ? { password_hash: patch.passwordHash } : {}),
        ...(patch.disabledAt !== undefined ? { disabled_at: patch.disabledAt } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async touchLogin(id: string, now: number): Promise<void> {
    await this.db.updateTable('admin_accounts').set({ last_login_at: now }).where('id', '=', id).execute();
  }

  async createSession(session: { id: string; accountId: string; tokenHash: string; parentId: string | null; expiresAt: number }, now: number): Promise<void> {
    await this.db
      .insertInto('admin_sessions')
      .values({
        id: session.id,
        account_id: session.accountId,
        token_hash: session.tokenHash,
        parent_id: session.parentId,
        expires_at: session.expiresAt,
        revoked_at: null,
        created_at: now,
      })
      .execute();
  }

  findSessionByHash(tokenHash: string): Promise<AdminSessionRow | undefined> {
    return this.db.selectFrom('admin_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Revokes one live session; false when it was already revoked (a concurrent refresh won). */
  async revokeSession(id: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('admin_sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeAllSessions(accountId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('admin_sessions')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Drops sessions that ended before `olderThan` (expired or revoked). */
  async pruneSessions(olderThan: number): Promise<void> {
    await this.db
      .deleteFrom('admin_sessions')
      .where((eb) => eb.or([eb('expires_at', '<', olderThan), eb('revoked_at', '<', olderThan)]))
      .execute();
  }

  record(entry: AuditEntry, at: number, db: Kysely<Database> = this.db): Promise<void> {
    return recordAudit(db, entry, at);
  }

  audit(query: AuditQuery): Promise<AdminAuditRow[]> {
    let q = this.db.selectFrom('admin_audit').selectAll();
    if (query.actorId) q = q.where('actor_id', '=', query.actorId);
    if (query.action) q = q.where('action', '=', query.action);
    if (query.targetId) q = q.where('target_id', '=', query.targetId);
    const before = query.before;
    if (before) q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
    return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  }
}
