import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * One run of a periodic job per interval, whichever process gets there first: a claim moves
 * the job's `last_started_at` forward only when the last run started at least `minGapMs` ago,
 * in one statement (an upsert with a condition), so two processes never both win a round.
 */
export class JobRunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** True when this process may run `name` now (and the run is recorded as started). */
  async claim(name: string, holder: string, nowMs: number, minGapMs: number): Promise<boolean> {
    const claimed = await this.db
      .insertInto('job_runs')
      .values({ name, last_started_at: nowMs, holder })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ last_started_at: nowMs, holder })
          .where('job_runs.last_started_at', '<=', nowMs - minGapMs),
      )
      .returning('name')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  /** The last claim of `name`, if any. */
  last(name: string): Promise<{ lastStartedAt: number; holder: string } | undefined> {
    return this.db
      .selectFrom('job_runs')
      .select(['last_started_at as lastStartedAt', 'holder'])
      .where('name', '=', name)
      .executeTakeFirst()
      .then((row) => (row ? { lastStartedAt: Number(row.lastStartedAt), holder: row.holder } : undefined));
  }
}
