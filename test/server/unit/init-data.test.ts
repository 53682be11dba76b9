import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sign as tmaSign, validate as tmaValidate } from '@tma.js/init-data-node';
import { AppError } from '../../../shared/errors.js';
import { signInitData, validateInitData } from '../../../server/auth/init-data.js';

const TOKEN = '123456789:AAH-test_token_for_unit_tests_0123';
const NOW = 1_800_000_000;
const user = { id: 777, first_name: 'Ann', last_name: 'Lee', username: 'ann', language_code: 'ru' };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'OK';
}

/** Signs raw fields the way Telegram does, independently of the code under test. */
function telegramSign(fields: Record<string, string>, token = TOKEN): string {
  const secret = createHmac('sha256', 'WebAppData').update(token).digest();
  const dcs = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const hash = createHmac('sha256', secret).update(dcs).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

describe('initData validation', () => {
  const opts = { maxAgeSeconds: 86400, nowSeconds: NOW };

  it('accepts initData signed per the spec and returns the user', () => {
    const raw = signInitData({ user, authDate: NOW - 10, startParam: 'ref_ABCD1234' }, TOKEN);
    const v = validateInitData(raw, TOKEN, opts);
    assert.deepEqual(v.user, { id: 777, firstName: 'Ann', lastName: 'Lee', username: 'ann', languageCode: 'ru', allowsWriteToPm: false });
    assert.equal(v.startParam, 'ref_ABCD1234');
    assert.equal(v.authDate, NOW - 10);
  });

  it("reads Telegram's allows_write_to_pm (only a real true allows the bot to write)", () => {
    const signed = (allows: unknown) => validateInitData(telegramSign({ auth_date: String(NOW), user: JSON.stringify({ id: 9, first_name: 'B', allows_write_to_pm: allows }) }), TOKEN, opts);
    assert.equal(signed(true).user.allowsWriteToPm, true);
    assert.equal(signed(false).user.allowsWriteToPm, false);
    assert.equal(signed('true').user.allowsWriteToPm, false);
    assert.equal(signed(1).user.allowsWriteToPm, false);
  });

  it('covers the field sets real Telegram clients send, whatever they are', () => {
    const variants: Array<Record<string, string>> = [
      { query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: JSON.stringify(user), auth_date: String(NOW) },
      { user: JSON.stringify(user), chat_instance: '-3788475317572404878', chat_type: 'private', auth_date: String(NOW) },
      {
        user: JSON.stringify({ ...user, allows_write_to_pm: true, photo_url: 'https://t.me/i/userpic/320/x.svg' }),
        chat_instance: '8134722200314281151',
        chat_type: 'sender',
        start_param: 'ref_ZZZZ2222',
        auth_date: String(NOW),
        signature: 'ZKdnUyE8qsqMTf8-v6ptYP-zX-1GpH0q2Y6KvH0vpZbs0wnc6VGD4V6J5w9-_0ytFSy1gK4Cbe3e2tvdEnx6Cg',
      },
    ];
    for (const fields of variants) assert.equal(validateInitData(telegramSign(fields), TOKEN, opts).user.id, 777);
  });

  it('agrees with @tma.js/init-data-node in both directions', () => {
    const byLibrary = tmaSign({ user: { id: 5, first_name: 'Lib' } }, TOKEN, new Date(NOW * 1000));
    assert.equal(validateInitData(byLibrary, TOKEN, opts).user.id, 5);
    const byUs = signInitData({ user, authDate: NOW }, TOKEN);
    // The library's expiry check reads the wall clock; the signature is what is compared here.
    assert.doesNotThrow(() => tmaValidate(byUs, TOKEN, { expiresIn: 0 }));
  });

  it('rejects a forged or tampered signature as AUTH_INVALID', () => {
    const raw = signInitData({ user, authDate: NOW }, TOKEN);
    assert.equal(code(() => validateInitData(raw, '987654321:other_token_entirely_different', opts)), 'AUTH_INVALID');
    const tampered = raw.replace('%22Ann%22', '%22Eve%22');
    assert.notEqual(tampered, raw);
    assert.equal(code(() => validateInitData(tampered, TOKEN, opts)), 'AUTH_INVALID');
    const extraField = `${raw}&admin=true`;
    assert.equal(code(() => validateInitData(extraField, TOKEN, opts)), 'AUTH_INVALID');
  });

  it('rejects missing, empty, malformed and oversized input as AUTH_INVALID', () => {
    assert.equal(code(() => validateInitData('', TOKEN, opts)), 'AUTH_INVALID');
    assert.equal(code(() => validateInitData('user=%7B%7D&auth_date=1', TOKEN, opts)), 'AUTH_INVALID');
    assert.equal(code(() => validateInitData('hash=zz', TOKEN, opts)), 'AUTH_INVALID');
    assert.equal(code(() => validateInitData('x'.repeat(10_000), TOKEN, opts)), 'AUTH_INVALID');
    const noUser = telegramSign({ auth_date: String(NOW), query_id: 'q' });
    assert.equal(code(() => validateInitData(noUser, TOKEN, opts)), 'AUTH_INVALID');
    const badDate = telegramSign({ auth_date: '12abc', user: JSON.stringify(user) });
    assert.equal(code(() => validateInitData(badDate, TOKEN, opts)), 'AUTH_INVALID');
    const dup = `${signInitData({ user, authDate: NOW }, TOKEN)}&auth_date=${NOW}`;
    assert.equal(code(() => validateInitData(dup, TOKEN, opts)), 'AUTH_INVALID');
  });

  it('rejects expired initData as AUTH_EXPIRED and accepts it right at the limit', () => {
    const old = signInitData({ user, authDate: NOW - 86401 }, TOKEN);
    assert.equal(code(() => validateInitData(old, TOKEN, opts)), 'AUTH_EXPIRED');
    const edge = signInitData({ user, authDate: NOW - 86400 }, TOKEN);
    assert.equal(code(() => validateInitData(edge, TOKEN, opts)), 'OK');
  });

  it('rejects auth_date in the future beyond the clock skew', () => {
    const future = signInitData({ user, authDate: NOW + 3600 }, TOKEN);
    assert.equal(code(() => validateInitData(future, TOKEN, opts)), 'AUTH_INVALID');
    const skew = signInitData({ user, authDate: NOW + 30 }, TOKEN);
    assert.equal(code(() => validateInitData(skew, TOKEN, opts)), 'OK');
  });

  it('checks the signature before the age, so a forged old token is AUTH_INVALID', () => {
    const forgedOld = signInitData({ user, authDate: NOW - 90000 }, '987654321:other_token_entirely_different');
    assert.equal(code(() => validateInitData(forgedOld, TOKEN, opts)), 'AUTH_INVALID');
  });
});
