/** `npm run migrate [up|down|status]`: applies, reverts one, or lists migrations. */
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateDown, migrateToLatest, migrationStatus } from '../db/migrator.js';

const USAGE = 'usage: npm run migrate -- [up|down|status]';

async function run(command: string): Promise<void> {
  const config = loadConfig(undefined, 'tool');
  const db = openDatabase(config.database);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (command === 'up') {
      const result = await migrateToLatest(db.kysely);
      const applied = result.results ?? [];
      out(applied.length === 0 ? 'up to date' : applied.map((r) => `applied ${r.migrationName}`).join('\n'));
    } else if (command === 'down') {
      const result = await migrateDown(db.kysely);
      const reverted = result.results ?? [];
      out(reverted.length === 0 ? 'nothing to revert' : reverted.map((r) => `reverted ${r.migrationName}`).join('\n'));
    } else if (command === 'status') {
      for (const m of await migrationStatus(db.kysely)) {
        out(`${m.executedAt ? 'applied ' : 'pending '} ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}`);
      }
    } else {
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
}

run(process.argv[2] ?? 'up').catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.oneLine() : err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
