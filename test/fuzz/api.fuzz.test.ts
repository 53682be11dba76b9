/**
 * Fuzzes every route of the OpenAPI document: the routes are read from GET /openapi.json, so
 * a new route is fuzzed without touching this file. For each operation and each caller (no
 * one, a player, an admin, a forged credential) it sends generated path parameters, queries,
 * headers and bodies: values drawn from the route's own schemas, and hostile ones (wrong
 * content types, huge strings, unicode, prototype keys, deep nesting, numbers at the edges).
 *
 * Every answer is below 500 (except the documented 503s in ALLOWED_503), a refusal carries
 * a registry error code and leaves the guarded state exactly as it was, no prototype is
 * polluted, and the app still answers /healthz at the end.
 *
 * FUZZ_RUNS (default 4) runs per operation and caller; FUZZ_SEED fixes the generator.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isErrorCode } from '../../shared/errors.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/test-server.js';
import {
  FUZZ_RUNS,
  fuzzTimeout,
  anyString,
  deepJson,
  edgeNumber,
  fcOptions,
  fromSchema,
  headerValue,
  hostileString,
  pollutingObject,
  stateSnapshot,
  urlBytes,
  type JsonSchema,
} from './fuzz-kit.js';

/** A fixed wall clock: initData is signed at it, and nothing reads the date. */
const NOW = Date.UTC(2031, 2, 12, 12, 0, 0);
const WEBHOOK_SECRET = 'fuzz-webhook-secret';

/**
 * 503s a route may answer here, each documented in its OpenAPI responses, with the codes
 * allowed and why the test server cannot serve it:
 * - /readyz: not ready while a dependency does not answer (a probe, not a failure).
 * - POST /api/v1/stars/invoices: PAYMENTS_UNAVAILABLE when the Bot API refuses createInvoiceLink.
 * - POST /admin/stars/payments/{chargeId}/refund, POST /admin/stars/reconcile: PAYMENTS_UNAVAILABLE,
 *   the Bot API's refundStarPayment / getStarTransactions is needed and the fake one may refuse.
 * - POST /api/v1/pets/{petId}/share/prepared: SHARE_UNAVAILABLE when savePreparedInlineMessage fails.
 * - GET /api/v1/pets/{petId}/card.png: CARD_RENDER_BUSY when the render queue is full.
 * - POST .../images/regenerate and .../images/rerun: NOT_READY when the image queue refuses a job.
 * - POST /telegram/webhook: NOT_READY while the bot is not ready (Telegram retries).
 */
const ALLOWED_503: Record<string, readonly string[]> = {
  'GET /readyz': ['*'],
  'POST /api/v1/stars/invoices': ['PAYMENTS_UNAVAILABLE'],
  'POST /admin/stars/payments/{chargeId}/refund': ['PAYMENTS_UNAVAILABLE'],
  'POST /admin/stars/reconcile': ['PAYMENTS_UNAVAILABLE'],
  'POST /api/v1/pets/{petId}/share/prepared': ['SHARE_UNAVAILABLE'],
  'GET /api/v1/pets/{petId}/card.png': ['CARD_RENDER_BUSY'],
  'POST /api/v1/pets/{petId}/images/regenerate': ['NOT_READY'],
  'POST /api/v1/pets/{petId}/images/rerun': ['NOT_READY'],
  'POST /telegram/webhook': ['NOT_READY'],
};

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
  responses: string[];
}

/** Percent-encodes any string: lone surrogates (which encodeURIComponent refuses) go as U+FFFD's bytes. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

type Caller = 'none' | 'player' | 'admin' | 'forged';
const CALLERS: readonly Caller[] = ['none', 'player', 'admin', 'forged'];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  '',
  'application/json, text/plain',
  ';;;',
] as const;

interface Request {
  caller: Caller;
  /** A forged credential: a Bearer token with a broken signature, or else initData with a wrong hash. */
  forgedAdmin: boolean;
  pathValues: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string };
  contentType: string;
}

describeEachDialect('fuzz: every OpenAPI route', (dialect) => {
  let s: TestServer;
  const operations: Operation[] = [];
  let adminToken = '';
  const player: TestUser = { id: 9_800_001 + dialect.length, firstName: 'Fuzz' };
  const other: TestUser = { id: 9_810_001 + dialect.length, firstName: 'Other' };
  /** Real ids the schemas accept, so generated requests also reach handlers, not only validators. */
  const known: Record<string, string[]> = {};
  const seen503 = new Map<string, number>();
  /** Answers by operation and status class, printed with FUZZ_VERBOSE=1 to see what the generators reach. */
  const tally = new Map<string, Record<string, number>>();

  const pathValue = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...(known[name] ?? ['x'])).map(encode) },
      { weight: 1, arbitrary: urlBytes },
      { weight: 2, arbitrary: hostileString.map((v) => encode(v.slice(0, 3000))) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '0', '-1', '..', '%2F', '%00') },
    );

  const queryValue = (p: Parameter): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: fromSchema(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
      { weight: 2, arbitrary: hostileString },
      { weight: 1, arbitrary: edgeNumber.map(String) },
      { weight: 1, arbitrary: fc.constantFrom(...(known[p.name] ?? ['x'])) },
    );

  const bodyFor = (op: Operation): fc.Arbitrary<Request['body']> => {
    const alternatives: Array<fc.WeightedArbitrary<Request['body']>> = [
      { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
      { weight: 1, arbitrary: pollutingObject.map((value) => ({ kind: 'json' as const, value })) },
      { weight: 1, arbitrary: deepJson.map((text) => ({ kind: 'text' as const, text })) },
      { weight: 1, arbitrary: anyString(200).map((text) => ({ kind: 'text' as const, text })) },
      { weight: 1, arbitrary: edgeNumber.map((value) => ({ kind: 'json' as const, value })) },
    ];
    if (op.body) {
      const valid = fromSchema(op.body);
      alternatives.push({ weight: 10, arbitrary: valid.map((value) => ({ kind: 'json' as const, value })) });
      // A valid body with one property replaced by something hostile, or a polluting key added.
      alternatives.push({
        weight: 3,
        arbitrary: fc.tuple(valid, fc.oneof(hostileString, edgeNumber, pollutingObject, fc.jsonValue({ maxDepth: 2 })), fc.nat()).map(([base, bad, pick]) => {
          if (base === null || typeof base !== 'object' || Array.isArray(base)) return { kind: 'json' as const, value: bad };
          const keys = [...Object.keys(base), '__proto__', 'constructor', 'extra'];
          const key = keys[pick % keys.length]!;
          const text = JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(bad) ?? 'null'},`).replace(/,\}$/, '}');
          return { kind: 'text' as const, text };
        }),
      });
      // One huge string in an otherwise valid body.
      alternatives.push({
        weight: 1,
        arbitrary: fc.tuple(valid, fc.integer({ min: 10_000, max: 1_200_000 })).map(([base, size]) => ({ kind: 'json' as const, value: { ...(typeof base === 'object' && base ? base : {}), huge: 'ж'.repeat(size) } })),
      });
    }
    return fc.oneof(...alternatives);
  };

  const requestFor = (op: Operation, caller: Caller): fc.Arbitrary<Request> => {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const pathRecord: Record<string, fc.Arbitrary<string>> = {};
    for (const p of pathParams) pathRecord[p.name] = pathValue(p.name);
    const query = fc
      .tuple(
        fc.subarray(queryParams.filter((p) => !p.required)).map((optional) => [...queryParams.filter((p) => p.required), ...optional]).chain((ps) => (ps.length ? fc.tuple(...ps.map((p) => queryValue(p).map((v) => [p.name, v] as [string, string]))) : fc.constant([] as Array<[string, string]>))),
        fc.array(fc.tuple(fc.constantFrom('__proto__[polluted]', 'constructor[prototype][polluted]', 'limit', 'x', 'cursor', 'a[]'), hostileString.map((v) => v.slice(0, 500))), { maxLength: 2 }),
      )
      .map(([declared, extra]) => [...declared, ...extra]);
    const headers = fc.record(
      {
        'idempotency-key': fc.oneof(headerValue, fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/)),
        'x-telegram-bot-api-secret-token': fc.oneof(headerValue, fc.constant(WEBHOOK_SECRET)),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/png', 'x/y'),
        'accept-language': headerValue,
        'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1'),
      },
      { requiredKeys: [] },
    );
    return fc.record({
      caller: fc.constant(caller),
      forgedAdmin: fc.boolean(),
      pathValues: fc.record(pathRecord),
      query,
      headers,
      body: bodyFor(op),
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    });
  };

  /** The guarded state once the event relay has handled every event so far (its effects land late). */
  const settledState = async () => {
    await s.app.eventLog.relay.drain();
    return stateSnapshot(s.app.db);
  };

  const send = async (op: Operation, r: Request) => {
    let path = op.path;
    // fetch resolves a segment of dots (encoded or not) away instead of sending it: add a letter.
    for (const [name, value] of Object.entries(r.pathValues)) path = path.replace(`{${name}}`, /^(\.|%2e)*$/i.test(value) ? `${value}x` : value);
    const search = r.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    const headers: Record<string, string> = { ...r.headers };
    if (r.caller === 'player') headers.authorization = `tma ${s.initData(player)}`;
    if (r.caller === 'admin') headers.authorization = `Bearer ${adminToken}`;
    if (r.caller === 'forged') headers.authorization = r.forgedAdmin ? `tma ${s.initData(player).replace(/hash=\w+/, `hash=${'0'.repeat(64)}`)}` : `Bearer ${adminToken.slice(0, -4)}AAAA`;
    let body: string | undefined;
    if (r.body.kind === 'json') body = JSON.stringify(r.body.value) ?? 'null';
    if (r.body.kind === 'text') body = r.body.text;
    if (body !== undefined && r.contentType) headers['content-type'] = r.contentType;
    const init = { method: op.method, headers, ...(body !== undefined && op.method !== 'GET' ? { body } : {}) };
    const res = await fetch(`${s.url}${path}${search ? `?${search}` : ''}`, init);
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (HTML, PNG, metrics text)
    }
    return { status: res.status, body: parsed, where: `${op.method} ${path}${search ? `?${search.slice(0, 300)}` : ''} as ${r.caller}` };
  };

  before(async function () {
    this.timeout(60_000);
    s = await startTestServer({
      dialect,
      botToken: '',
      now: () => NOW,
      env: {
        ADMIN_PASSWORD: 'admin-pw',
        JWT_SECRET: 'j'.repeat(40),
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // Limits have their own tests; here they would only turn most requests into 429s.
        RATE_LIMIT_API_MAX: '0',
        RATE_LIMIT_PUBLIC_API_MAX: '0',
        RATE_LIMIT_PURCHASES_MAX: '0',
        RATE_LIMIT_INVOICES_MAX: '0',
        RATE_LIMIT_FRIEND_ADDS_MAX: '0',
        RATE_LIMIT_IMAGE_REQUESTS_MAX: '0',
        RATE_LIMIT_ANALYTICS_MAX: '0',
        RATE_LIMIT_SHARE_PREPARED_MAX: '0',
      },
    });
    const doc = (await s.api(null, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; responses?: Record<string, unknown> }>>;
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations.push({
          method: method.toUpperCase(),
          path,
          parameters: op.parameters ?? [],
          body: op.requestBody?.content?.['application/json']?.schema,
          responses: Object.keys(op.responses ?? {}),
        });
      }
    }
    // Known ids: the player's own pet and friend, another player's pet, an admin session.
    const me = await s.api(player, 'GET', '/api/v1/me');
    const them = await s.api(other, 'GET', '/api/v1/me');
    const pet = await s.api(player, 'POST', '/api/v1/pets', { name: 'Fuzzy' });
    const theirPet = await s.api(other, 'POST', '/api/v1/pets', { name: 'Otter' });
    assert.equal(pet.status, 201, JSON.stringify(pet.body));
    await s.api(other, 'POST', '/api/v1/friends', { inviteCode: me.body.inviteCode });
    const login = await s.api(null, 'POST', '/admin/login', { password: 'admin-pw' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    adminToken = login.body.token as string;
    const progress = await s.api(player, 'GET', '/api/v1/progress');
    const share = await s.api(player, 'GET', `/api/v1/pets/${pet.body.id}/share`);
    known.petId = [pet.body.id, theirPet.body.id];
    known.playerId = [me.body.id, them.body.id];
    known.questId = (progress.body?.quests ?? []).map((q: { id: string }) => q.id).concat(['q']);
    known.shareCode = [share.body?.shareCode ?? 'x'];
    known.board = ['streak', 'game_treats', 'achievements', 'pet_age'];
    known.setId = ['starter', 'x'];
    known.imageId = ['img'];
    known.roomId = ['room'];
    known.orderId = ['order'];
    known.chargeId = ['charge'];
    known.id = ['1'];
    known.limit = ['1', '100', '0', '101'];
    known.cursor = ['', Buffer.from('[1,"a"]').toString('base64url')];
  });

  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('reads a non-trivial OpenAPI document', () => {
    assert.ok(operations.length >= 60, `${operations.length} operations`);
    for (const key of Object.keys(ALLOWED_503)) {
      const [method, path] = key.split(' ');
      const op = operations.find((o) => o.method === method && o.path === path);
      assert.ok(op, `${key} is in the document`);
      assert.ok(op.responses.includes('503'), `${key} documents its 503`);
    }
  });

  it('answers every operation, for every caller, with no 5xx and no change on refusal', async function () {
    this.timeout(fuzzTimeout(600_000));
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      for (const caller of CALLERS) {
        await fc.assert(
          fc.asyncProperty(requestFor(op, caller), async (r) => {
            const before = await settledState();
            const res = await send(op, r);
            const counts = tally.get(key) ?? {};
            const bucket = res.status >= 400 ? String(res.status) : `${Math.floor(res.status / 100)}xx`;
            counts[bucket] = (counts[bucket] ?? 0) + 1;
            tally.set(key, counts);
            if (res.status === 503 && ALLOWED_503[key]) {
              const code = res.body?.error?.code ?? '*';
              assert.ok(ALLOWED_503[key].includes('*') || ALLOWED_503[key].includes(code), `${res.where}: 503 ${JSON.stringify(res.body).slice(0, 300)}`);
              seen503.set(key, (seen503.get(key) ?? 0) + 1);
            } else {
              assert.ok(res.status < 500, `${res.where}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
            }
            if (res.status >= 400) {
              if (typeof res.body === 'object' && res.body?.error) assert.ok(isErrorCode(res.body.error.code), `${res.where}: ${JSON.stringify(res.body).slice(0, 300)}`);
              assert.equal(await settledState(), before, `${res.where}: refused with ${res.status} ${JSON.stringify(res.body).slice(0, 200)} but changed state`);
            }
            assert.equal(({} as Record<string, unknown>).polluted, undefined, `${res.where}: polluted Object.prototype`);
            assert.equal(({} as Record<string, unknown>).isAdmin, undefined, `${res.where}: polluted Object.prototype`);
          }),
          // Postgres round trips cost more: half the runs there keep `npm test` within its time.
          fcOptions(dialect === 'postgres' ? Math.ceil(FUZZ_RUNS / 2) : FUZZ_RUNS),
        );
      }
    }
    if (process.env.FUZZ_VERBOSE) for (const [key, counts] of tally) console.log(key, JSON.stringify(counts), seen503.get(key) ?? '');
    const health = await s.api(null, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
  });
});
