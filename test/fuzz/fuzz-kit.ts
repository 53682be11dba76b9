/**
 * Shared pieces of the fuzz suites (test/fuzz/*.fuzz.test.ts): the run count and seed
 * (FUZZ_RUNS, FUZZ_SEED: `npm run fuzz` raises the count), hostile values, a generator of
 * JSON values from an OpenAPI (JSON Schema) fragment, and a snapshot of the state a refused
 * request must leave alone.
 */
import fc from 'fast-check';
import type { Db } from '../../server/db/database.js';

/** Runs per property: small in `npm test`, larger in `npm run fuzz`. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 4));
/** One seed for every property, so a failure replays: FUZZ_SEED=<the seed in the report>. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261208);

/** A test's time limit: `ms` at the default run count, none for longer runs (`npm run fuzz`). */
export const fuzzTimeout = (ms: number) => (FUZZ_RUNS > 4 ? 0 : ms);

export const fcOptions = (numRuns: number) => ({ numRuns, seed: FUZZ_SEED, endOnFailure: true });

/** Characters that break parsers and renderers, mixed with any code unit and code point. */
const nasty = fc.constantFrom(
  '\u0000', '\u0007', '\n', '\r', '\u001B', '\u007F', '\u0085', '\uD800', '\uDC00', '\u202E', '\u200D', '\uFEFF', '\u2028',
  '\uFFFF', '\u{10FFFF}', 'e\u0301', '\u{1F469}\u200D\u{1F467}', '"', "'", '\\', '%', '/', '..', '{', '$', '<script>',
);
const unit = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'Z', '0', '9', '_', '-', 'Ж') },
);
export const anyString = (maxLength = 40) => fc.string({ unit, maxLength });

/** Strings a server might trip on: huge, prototype keys, numbers as text, path tricks. */
export const hostileString = fc.oneof(
  { weight: 4, arbitrary: anyString() },
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf') },
  { weight: 2, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x10', '1.5', '-1', '9'.repeat(400), '', ' ', 'null', 'true', '[]', '{}') },
  { weight: 2, arbitrary: fc.constantFrom('../../etc/passwd', '%2e%2e%2f', 'a/b', 'a?b', 'a#b', "' OR 1=1 --", '${jndi:x}') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((k) => 'x'.repeat(k * 20_000)) },
);

/** Numbers at the edges. */
export const edgeNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE, 1_000_000, 1_000_001, -1_000_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Objects that try to pollute prototypes through a JSON body. */
export const pollutingObject = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"a":1,"__proto__":{"isAdmin":true,"polluted":"yes"}}'),
  JSON.parse('{"prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":1}'),
);

/** Deeply nested JSON as text (arrays or objects), deeper than any schema. */
export const deepJson = fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
);

/** Raw bytes percent-encoded into a URL segment: invalid UTF-8 and %00 included. */
export const urlBytes = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));

/** A header value fetch can send: Latin-1 without controls. */
export const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 300 })
  .map((v) => `k${v}k`);

/** A JSON Schema fragment, as @fastify/swagger writes it into the OpenAPI document. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

/**
 * Values close to what the schema accepts: enums, constants and required properties taken
 * from it, strings from its pattern when fast-check can read it, numbers in and just outside
 * the bounds. Mostly valid, sometimes not, which is the point.
 */
export function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = fromSchema(value, depth + 1);
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 5, 8) + 1 });
    case 'integer': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, 0) });
    }
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return fc.oneof({ weight: 4, arbitrary: fc.double({ min, max, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string': {
      const lengths = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) };
      if (schema.pattern) {
        try {
          return fc.oneof({ weight: 4, arbitrary: fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= lengths.maxLength * 2 + 10) }, { weight: 1, arbitrary: anyString() });
        } catch {
          // a pattern fast-check cannot read: any string of the lengths
        }
      }
      if (schema.format === 'date') return fc.constantFrom('2031-03-12', '2031-02-30', '0000-00-00', '2031-3-1');
      return fc.oneof({ weight: 4, arbitrary: fc.string({ ...lengths, maxLength: Math.max(lengths.minLength, lengths.maxLength) }) }, { weight: 1, arbitrary: anyString() });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * What a refused request must not change: row counts of the tables that hold money,
 * progress, ownership and moderation, the balance of every ledger account, inventories,
 * and the names and owners of pets.
 */
export const GUARDED_TABLES = [
  'players', 'pets', 'friendships', 'inventory', 'minigame_sessions', 'pet_images', 'ledger_accounts', 'ledger_transactions', 'ledger_entries',
  'purchases', 'promotions', 'star_orders', 'star_payments', 'player_quests', 'player_achievements', 'admin_accounts', 'admin_sessions',
  'pet_reports', 'fraud_flags', 'collection_claims', 'pet_share_codes', 'referrals', 'notify_players',
] as const;

export async function stateSnapshot(db: Db): Promise<string> {
  const k = db.kysely as any;
  const counts: Record<string, number> = {};
  for (const table of GUARDED_TABLES) {
    const row = await k.selectFrom(table).select(k.fn.countAll().as('n')).executeTakeFirst();
    counts[table] = Number(row?.n ?? 0);
  }
  const balances = await k
    .selectFrom('ledger_entries')
    .select(['account_id', k.fn.sum('amount').as('total')])
    .groupBy('account_id')
    .orderBy('account_id')
    .execute();
  const inventory = await k.selectFrom('inventory').selectAll().orderBy('player_id').orderBy('item_id').execute();
  const pets = await k.selectFrom('pets').select(['id', 'owner_id', 'name']).orderBy('id').execute();
  const players = await k.selectFrom('players').select(['id', 'banned_at', 'utc_offset_minutes']).orderBy('id').execute();
  return JSON.stringify({ counts, balances: balances.map((b: any) => [b.account_id, String(b.total)]), inventory, pets, players });
}
