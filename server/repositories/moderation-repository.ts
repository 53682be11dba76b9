/** Reports of pets and names the word filter refused (migration 0018; docs/moderation.md). */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, NameAttemptsTable, PetReportsTable, ReportReason } from '../db/schema.js';

export type PetReportRow = Selectable<PetReportsTable>;
export type NameAttemptRow = Selectable<NameAttemptsTable>;

export interface ReportGroupRow {
  pet_id: string;
  pet_name: string;
  owner_id: string;
  owner_name: string;
  reporters: number;
  name_reports: number;
  picture_reports: number;
  other_reports: number;
  first_at: number;
  last_at: number;
}

export interface NameAttemptListRow extends NameAttemptRow {
  player_name: string;
}

/** A page position: rows strictly older than (at, id). */
export interface Cursor {
  at: number;
  id: string;
}

export class ModerationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores a report unless the reporter reported the pet before (the unique constraint
   * decides); returns the stored report and whether it is new.
   */
  async insertReport(
    report: { petId: string; ownerId: string; reporterId: string; reason: ReportReason; note: string | null },
    nowMs: number,
  ): Promise<{ report: PetReportRow; created: boolean }> {
    const row: PetReportRow = {
      id: randomUUID(),
      pet_id: report.petId,
      owner_id: report.ownerId,
      reporter_id: report.reporterId,
      reason: report.reason,
      note: report.note,
      status: 'open',
      resolution: null,
      resolved_by: null,
      resolved_at: null,
      created_at: nowMs,
    };
    const inserted = await this.db
      .insertInto('pet_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['reporter_id', 'pet_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { report: row, created: true };
    const existing = await this.db
      .selectFrom('pet_reports')
      .selectAll()
      .where('reporter_id', '=', report.reporterId)
      .where('pet_id', '=', report.petId)
      .executeTakeFirstOrThrow();
    return { report: existing, created: false };
  }

  async countReportsSince(reporterId: string, sinceMs: number): Promise<{ count: number; oldest: number | null }> {
    const row = await this.db
      .selectFrom('pet_reports')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('reporter_id', '=', reporterId)
      .where('created_at', '>=', sinceMs)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
  }

  findReport(id: string, db: Kysely<Database> = this.db): Promise<PetReportRow | undefined> {
    return db.selectFrom('pet_reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Resolves open reports of a pet (of the given reasons, or all); returns how many. */
  async resolvePetReports(
    db: Kysely<Database>,
    petId: string,
    resolution: string,
    by: string,
    nowMs: number,
    reasons?: readonly ReportReason[],
  ): Promise<number> {
    let q = db
      .updateTable('pet_reports')
      .set({ status: 'resolved', resolution, resolved_by: by, resolved_at: nowMs })
      .where('pet_id', '=', petId)
      .where('status', '=', 'open');
    if (reasons) q = q.where('reason', 'in', [...reasons]);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async resolveReport(db: Kysely<Database>, id: string, resolution: string, by: string, nowMs: number): Promise<boolean> {
    const result = await db
      .updateTable('pet_reports')
      .set({ status: 'resolved', resolution, resolved_by: by, resolved_at: nowMs })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Reports grouped per pet, the newest report first; `before` pages by (last report, pet id). */
  async reportGroups(query: { status: 'open' | 'resolved'; before?: Cursor; limit: number }): Promise<ReportGroupRow[]> {
    const count = (reason: ReportReason) => sql<number>`sum(case when r.reason = ${reason} then 1 else 0 end)`;
    let q = this.db
      .selectFrom('pet_reports as r')
      .innerJoin('pets as p', 'p.id', 'r.pet_id')
      .innerJoin('players as o', 'o.id', 'r.owner_id')
      .select((eb) => [
        'r.pet_id as pet_id',
        'p.name as pet_name',
        'r.owner_id as owner_id',
        'o.first_name as owner_name',
        eb.fn.countAll<number>().as('reporters'),
        count('name').as('name_reports'),
        count('picture').as('picture_reports'),
        count('other').as('other_reports'),
        eb.fn.min('r.created_at').as('first_at'),
        eb.fn.max('r.created_at').as('last_at'),
      ])
      .where('r.status', '=', query.status)
      .groupBy(['r.pet_id', 'p.name', 'r.owner_id', 'o.first_name']);
    const before = query.before;
    if (before) {
      q = q.having((eb) =>
        eb.or([eb(eb.fn.max('r.created_at'), '<', before.at), eb.and([eb(eb.fn.max('r.created_at'), '=', before.at), eb('r.pet_id', '<', before.id)])]),
      );
    }
    const rows = await q.orderBy('last_at', 'desc').orderBy('pet_id', 'desc').limit(query.limit).execute();
    return rows.map((r) => ({
      ...r,
      reporters: Number(r.reporters),
      name_reports: Number(r.name_reports),
      picture_reports: Number(r.picture_reports),
      other_reports: Number(r.other_reports),
      first_at: Number(r.first_at),
      last_at: Number(r.last_at),
    }));
  }

  /**
   * Records a refused name unless the player has `cap` today already; false when capped.
   * A race of two refusals may store one more than the cap: it bounds the data, nothing more.
   */
  async recordNameAttempt(attempt: { playerId: string; context: string; text: string }, cap: number, nowMs: number): Promise<boolean> {
    const day = Math.floor(nowMs / 86_400_000);
    const row = await this.db
      .selectFrom('name_attempts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('player_id', '=', attempt.playerId)
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= cap) return false;
    await this.db
      .insertInto('name_attempts')
      .values({
        id: randomUUID(),
        player_id: attempt.playerId,
        context: attempt.context,
        text: attempt.text.slice(0, 128),
        day,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        created_at: nowMs,
      })
      .execute();
    return true;
  }

  async nameAttempts(query: { status: 'open' | 'resolved'; before?: Cursor; limit: number }): Promise<NameAttemptListRow[]> {
    let q = this.db
      .selectFrom('name_attempts as n')
      .innerJoin('players as p', 'p.id', 'n.player_id')
      .selectAll('n')
      .select('p.first_name as player_name')
      .where('n.status', '=', query.status);
    const before = query.before;
    if (before) q = q.where((eb) => eb.or([eb('n.created_at', '<', before.at), eb.and([eb('n.created_at', '=', before.at), eb('n.id', '<', before.id)])]));
    const rows = await q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(query.limit).execute();
    return rows.map((r) => ({ ...r, created_at: Number(r.created_at), day: Number(r.day) }));
  }

  findNameAttempt(id: string, db: Kysely<Database> = this.db): Promise<NameAttemptRow | undefined> {
    return db.selectFrom('name_attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async resolveNameAttempt(db: Kysely<Database>, id: string, by: string, nowMs: number): Promise<boolean> {
    const result = await db
      .updateTable('name_attempts')
      .set({ status: 'resolved', resolved_by: by, resolved_at: nowMs })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
