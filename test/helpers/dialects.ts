import { needService, type DialectName } from './services.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Declares the suite once per database dialect; Postgres suites require the real service. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, function () {
      if (dialect === 'postgres') {
        before(async function () {
          await needService(this, 'postgres');
        });
      }
      body(dialect);
    });
  }
}
