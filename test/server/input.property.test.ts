import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Client } from 'colyseus.js';
import { signInitData } from '../../server/auth/init-data.js';
import { isErrorCode } from '../../shared/errors.js';
import { normalizeName } from '../../shared/names.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A fixed wall clock: initData is signed at it, and nothing reads the date. */
const NOW = Date.UTC(2031, 2, 12, 12, 0, 0);
const RUNS = 40;

/**
 * Characters that break things: NUL and other controls, both halves of a surrogate pair on
 * their own, bidi controls, zero-width and BOM, noncharacters, private use, decomposed
 * letters, emoji and joiners, quotes and backslashes; mixed with any code unit and any
 * code point.
 */
const nasty = fc.constantFrom(
  '\u0000', '\u0001', '\u0007', '\t', '\n', '\r', '\u001B', '\u007F', '\u0085', '\u009F',
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202A', '\u202E', '\u2066', '\u2069', '\u200B', '\u200D', '\u200E', '\uFEFF',
  '\u2028', '\uFFFE', '\uFFFF', '\uE000', '\u{10FFFF}', 'e\u0301', '\u{1F469}\u200D\u{1F467}', '"', "'", '\\', '%', '\u00A0', ' ',
);
const unit = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'B', 'z', '1', 'Ж', 'ё') },
);
/** Any JavaScript string, lone surrogates included. */
const anyString = (maxLength = 40) => fc.string({ unit, maxLength });
/** Raw bytes, percent-encoded into a URL: invalid UTF-8 and %00 included. */
const urlBytes = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
/** Header values fetch can send: Latin-1 without controls (DEL included), no white space at the ends. */
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 200 })
  .map((v) => `k${v}k`);

describeEachDialect('no client string produces a 5xx', (dialect) => {
  let s: TestServer;
  let telegramId = 9_300_000 + dialect.length * 100_000;
  const nextUser = () => ({ id: ++telegramId, firstName: 'Prop' });

  /** Refusals use the error schema: a registry code and a message. */
  const assertRefusal = (res: { status: number; body: any }, what: string) => {
    assert.ok(res.status < 500, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.status >= 400) {
      assert.ok(isErrorCode(res.body?.error?.code), `${what}: error code in ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.error.message, 'string', what);
    }
  };
  const raw = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const res = await fetch(s.url + path, { method, headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: body as any };
  };

  before(async () => {
    // No bot token: dev sign-in is on, so its body is part of what a client controls.
    s = await startTestServer({ dialect, botToken: '', now: () => NOW, env: { ADMIN_PASSWORD: 'admin-pw', JWT_SECRET: 'j'.repeat(40) } });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('adopts a pet under any name the name rule accepts and refuses every other with NAME_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(anyString(), async (name) => {
        const user = nextUser();
        const res = await s.api(user, 'POST', '/api/v1/pets', { name });
        assertRefusal(res, `name ${JSON.stringify(name)}`);
        const rule = normalizeName(name);
        if (res.status === 201) {
          assert.ok(rule.ok, `accepted ${JSON.stringify(name)}`);
          assert.equal(res.body.name, rule.name);
        } else if (name.length > 0 && [...name].length <= 128) {
          assert.equal(rule.ok, false, `refused ${JSON.stringify(name)}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error.code, 'NAME_INVALID');
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers any PATCH /me body and any JSON body text without a 5xx', async () => {
    const user = nextUser();
    await fc.assert(
      fc.asyncProperty(anyString(), fc.jsonValue(), async (text, value) => {
        assertRefusal(await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: text }), 'offset string');
        assertRefusal(await s.api(user, 'PATCH', '/api/v1/me', { utcOffsetMinutes: value }), 'offset json');
        assertRefusal(await s.api(user, 'PATCH', '/api/v1/me', value), 'body json');
        const auth = { authorization: `tma ${s.initData(user)}`, 'content-type': 'application/json' };
        assertRefusal(await raw('PATCH', '/api/v1/me', { headers: auth, body: text }), 'body text');
        assertRefusal(await raw('POST', '/api/v1/pets', { headers: auth, body: text }), 'pets body text');
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any invite code without a 5xx', async () => {
    const user = nextUser();
    await fc.assert(
      fc.asyncProperty(anyString(), async (inviteCode) => {
        const res = await s.api(user, 'POST', '/api/v1/friends', { inviteCode });
        assertRefusal(res, `invite ${JSON.stringify(inviteCode)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('signs in through dev sign-in with any body, and the stored name passes the name rule', async () => {
    await fc.assert(
      fc.asyncProperty(anyString(64), anyString(32), anyString(64), anyString(8), async (firstName, username, startParam, languageCode) => {
        const res = await s.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: ++telegramId, firstName, username, startParam, languageCode });
        assertRefusal(res, 'dev sign-in');
        const only = await s.api(null, 'POST', '/api/v1/dev/init-data', { telegramId: ++telegramId, firstName });
        assertRefusal(only, 'dev sign-in, name only');
        for (const signed of [res, only]) {
          if (signed.status !== 200) continue;
          const me = await raw('GET', '/api/v1/me', { headers: { authorization: `tma ${signed.body.initData}` } });
          assert.equal(me.status, 200, JSON.stringify(me.body));
          assert.ok(normalizeName(me.body.firstName, 64).ok, JSON.stringify(me.body.firstName));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('signs in with any Telegram profile and start parameter, and stores names that pass the name rule', async () => {
    await fc.assert(
      fc.asyncProperty(anyString(80), anyString(80), anyString(40), anyString(12), anyString(40), async (first, last, username, language, startParam) => {
        const initData = signInitData(
          { user: { id: ++telegramId, first_name: first, last_name: last, username, language_code: language }, authDate: Math.floor(NOW / 1000), startParam },
          s.app.botToken,
        );
        const me = await raw('GET', '/api/v1/me', { headers: { authorization: `tma ${initData}` } });
        assert.equal(me.status, 200, `${JSON.stringify({ first, last, username, language })}: ${JSON.stringify(me.body)}`);
        assert.ok(normalizeName(me.body.firstName, 64).ok, JSON.stringify(me.body.firstName));
        assert.ok(me.body.lastName === null || normalizeName(me.body.lastName, 64).ok, JSON.stringify(me.body.lastName));
        assert.ok(me.body.username === null || /^[A-Za-z0-9_]{1,32}$/.test(me.body.username), JSON.stringify(me.body.username));
        assert.ok(me.body.languageCode === 'en' || me.body.languageCode === 'ru');
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any cursor, limit, path parameter and idempotency key without a 5xx', async () => {
    const user = nextUser();
    const auth = { authorization: `tma ${s.initData(user)}` };
    await s.api(user, 'POST', '/api/v1/pets', { name: 'Keeper' });
    await fc.assert(
      fc.asyncProperty(anyString(), fc.integer(), urlBytes, headerValue, async (text, createdAt, bytes, key) => {
        // A well-formed cursor around any id, and raw bytes as a cursor or limit.
        const cursor = Buffer.from(JSON.stringify([createdAt, text])).toString('base64url');
        assertRefusal(await raw('GET', `/api/v1/pets?cursor=${cursor}`, { headers: auth }), `cursor ${JSON.stringify(text)}`);
        assertRefusal(await raw('GET', `/api/v1/pets?cursor=${bytes}&limit=${bytes}`, { headers: auth }), `query ${bytes}`);
        for (const path of [`/api/v1/pets/${bytes}`, `/api/v1/pets/${bytes}/summary`, `/api/v1/quests/${bytes}/claim`, `/api/v1/stars/orders/${bytes}`, `/api/v1/images/${bytes}`]) {
          assertRefusal(await raw(path.endsWith('/claim') ? 'POST' : 'GET', path, { headers: auth }), path);
        }
        const purchase = await raw('POST', '/api/v1/shop/purchases', {
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ itemId: 'kibble' }),
        });
        assertRefusal(purchase, `idempotency key ${JSON.stringify(key)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers an admin with any path parameter and query without a 5xx', async () => {
    const login = await s.api(null, 'POST', '/admin/login', { password: 'admin-pw' });
    const auth = { authorization: `Bearer ${login.body.token}` };
    await fc.assert(
      fc.asyncProperty(urlBytes, async (bytes) => {
        for (const [method, path] of [
          ['POST', `/admin/stars/payments/${bytes}/refund`],
          ['GET', `/admin/stars/payments?playerId=${bytes}&limit=${bytes}`],
          ['GET', `/admin/rooms/${bytes}`],
          ['GET', `/admin/images/experiments?imageId=${bytes}&outcome=${bytes}&limit=${bytes}`],
        ] as const) {
          assertRefusal(await raw(method, path, { headers: auth }), path);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses any home join options with a 4xx', async () => {
    const user = nextUser();
    await fc.assert(
      fc.asyncProperty(anyString(), fc.jsonValue(), async (ownerId, options) => {
        for (const joinOptions of [{ ownerId }, options]) {
          const client = new Client(s.wsUrl);
          client.auth.token = s.initData(user);
          try {
            const room = await client.joinOrCreate('home', joinOptions);
            await room.leave();
          } catch (err) {
            const code = (err as { code?: number }).code ?? 0;
            assert.ok(code >= 400 && code < 500, `join ${JSON.stringify(joinOptions)}: ${code} ${(err as Error).message}`);
          }
        }
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('answers the matchmaker with any body without a 5xx', async () => {
    const user = nextUser();
    await fc.assert(
      fc.asyncProperty(anyString(), async (text) => {
        const res = await raw('POST', '/matchmake/joinOrCreate/home', {
          headers: { authorization: `Bearer ${s.initData(user)}`, 'content-type': 'application/json' },
          body: text,
        });
        assert.ok(res.status < 500, `${JSON.stringify(text)}: ${res.status} ${JSON.stringify(res.body)}`);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});
