import assert from 'node:assert/strict';
import { signInitData, type SignInput } from '../../server/auth/init-data.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A fixed wall clock: nothing here depends on the date, and initData is signed at it. */
const NOW = Date.UTC(2031, 2, 12, 12, 0, 0);

describeEachDialect('client strings that reach the database', (dialect) => {
  let s: TestServer;
  let n = 0;
  const newUser = (firstName = 'Ann') => ({ id: 9_100_000 + dialect.length * 1000 + ++n, firstName });
  const petsOf = async (user: { id: number }) => (await s.api(user, 'GET', '/api/v1/pets')).body.items as Array<{ name: string }>;

  before(async () => {
    s = await startTestServer({ dialect, now: () => NOW });
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  describe('pet names', () => {
    for (const [label, name] of [
      ['a NUL', 'Bo\u0000b'],
      ['a C1 control', 'Bo\u0085b'],
      ['a bidi override', 'Bob\u202Egnp.exe'],
      ['a bidi isolate', '\u2066Bob\u2069'],
      ['only zero-width characters', '\u200B\u200C\u200D\uFEFF'],
      ['only spaces and a zero-width joiner', '  \u200D  '],
      ['a lone surrogate', 'Bo\uD800b'],
      ['a private-use character', 'Bo\uE000b'],
    ] as const) {
      it(`refuses a name with ${label}: 400 NAME_INVALID and nothing stored`, async () => {
        const user = newUser();
        const res = await s.api(user, 'POST', '/api/v1/pets', { name });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'NAME_INVALID');
        assert.equal(typeof res.body.error.message, 'string');
        assert.deepEqual(await petsOf(user), []);
      });
    }

    it('stores a name in NFC: decomposed input comes back composed', async () => {
      const user = newUser();
      for (const name of ['Zoe\u0308', '\u0415\u0308\u0436\u0438\u043A']) {
        const res = await s.api(user, 'POST', '/api/v1/pets', { name });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.name, name.normalize('NFC'));
      }
      assert.deepEqual((await petsOf(user)).map((p) => p.name).sort(), ['Zoë', 'Ёжик'].sort());
    });

    it('keeps names that need joiners and marks: emoji sequences, Indic scripts, Arabic', async () => {
      const user = newUser();
      for (const name of ['\u{1F469}\u200D\u{1F469}\u200D\u{1F467}', '\u0915\u094D\u200D\u0937', 'مرحبا']) {
        const res = await s.api(user, 'POST', '/api/v1/pets', { name });
        assert.equal(res.status, 201, `${JSON.stringify(name)}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.name, name);
      }
    });

    it('counts the length after normalisation, in code points', async () => {
      const user = newUser();
      const decomposed = 'e\u0301'.repeat(32); // 64 UTF-16 units, 32 code points once composed
      assert.equal((await s.api(user, 'POST', '/api/v1/pets', { name: decomposed })).status, 201);
      const astral = '\u{1F431}'.repeat(32); // 64 UTF-16 units, 32 code points
      assert.equal((await s.api(user, 'POST', '/api/v1/pets', { name: astral })).status, 201);
      const tooLong = await s.api(user, 'POST', '/api/v1/pets', { name: 'é'.repeat(33) });
      assert.equal(tooLong.status, 400);
    });
  });

  describe('Telegram profiles', () => {
    it('signs in with a NUL in first_name and stores the name without it', async () => {
      const user = newUser('Ev\u0000e');
      const me = await s.api(user, 'GET', '/api/v1/me');
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.firstName, 'Eve');
      const row = await s.app.db.kysely.selectFrom('players').select('first_name').where('telegram_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(row.first_name, 'Eve');
    });

    it('falls back to the username, then to "Player", when first_name has nothing visible', async () => {
      const named = { ...newUser('\u202E\u200B'), username: 'eve_42' };
      assert.equal((await s.api(named, 'GET', '/api/v1/me')).body.firstName, 'eve_42');
      const anonymous = newUser('\u0000\u0007');
      const me = await s.api(anonymous, 'GET', '/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.firstName, 'Player');
    });

    it('stores profile fields in NFC without control or format characters', async () => {
      const user = { ...newUser('Zoe\u0308\u200E \u0007Smith'), username: 'zoe' };
      const me = await s.api(user, 'GET', '/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.firstName, 'Zoë Smith');
    });

    it('signs in with a last_name, username and language_code full of controls', async () => {
      const id = 9_199_000 + dialect.length;
      const initData = signedInitData(s, { id, first_name: 'Max', last_name: 'Ma\u0000x\u202E', username: 'm\u0000x', language_code: 'e\u0000n' });
      const res = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `tma ${initData}` } });
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { lastName: string | null; username: string | null; languageCode: string };
      assert.equal(body.lastName, 'Max');
      assert.equal(body.username, 'mx');
      assert.equal(body.languageCode, 'en');
    });
  });
});

function signedInitData(s: TestServer, user: SignInput['user']): string {
  return signInitData({ user, authDate: Math.floor(NOW / 1000) }, s.app.botToken);
}
