import assert from 'node:assert/strict';
import { ERRORS } from '../../shared/errors.js';
import { EN, LANGUAGES, RU, pickLanguage, translate, type I18nKey } from '../../shared/i18n.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n tables', () => {
  it('gives every language exactly the English keys, none empty', () => {
    for (const [lang, table] of Object.entries(LANGUAGES)) {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(EN).sort(), `${lang} keys`);
      for (const [key, value] of Object.entries(table)) assert.ok(value.trim().length > 0, `${lang}.${key} is empty`);
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const key of Object.keys(EN) as I18nKey[]) {
      if (key.startsWith('plural.')) continue;
      assert.deepEqual(placeholders(RU[key]), placeholders(EN[key]), key);
    }
  });

  it('words every plural form with its language’s own placeholders, the general form with all of them', () => {
    // A form may leave the number out where the word says it ("once" for 1, but Russian's
    // "one" form also covers 21, so it keeps {n}); it may never name one the caller does not pass.
    const words = new Set((Object.keys(EN) as I18nKey[]).filter((k) => k.startsWith('plural.')).map((k) => k.split('.')[1]));
    assert.ok(words.size > 0);
    for (const word of words) {
      const other = `plural.${word}.other` as I18nKey;
      assert.deepEqual(placeholders(RU[other]), placeholders(EN[other]), other);
      for (const table of [EN, RU]) {
        for (const form of ['one', 'few', 'many'] as const) {
          const key = `plural.${word}.${form}` as I18nKey;
          assert.ok(key in table, `missing ${key}`);
          for (const name of placeholders(table[key])) assert.ok(placeholders(table[other]).includes(name), `${key} names {${name}}`);
        }
      }
    }
  });

  it('has a message for every error code', () => {
    for (const code of Object.keys(ERRORS)) {
      assert.ok(`error.${code}` in EN, `missing error.${code}`);
    }
  });

  it('picks Russian for ru and ru-RU and English otherwise', () => {
    assert.equal(pickLanguage('ru'), 'ru');
    assert.equal(pickLanguage('ru-RU'), 'ru');
    assert.equal(pickLanguage('en-US'), 'en');
    assert.equal(pickLanguage(undefined), 'en');
    assert.equal(pickLanguage('de'), 'en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const filled = translate('en', 'pet.grew', { name: 'Rex', stage: 'Teen' });
    assert.equal(filled, EN['pet.grew'].replace('{name}', 'Rex').replace('{stage}', 'Teen'));
    assert.ok(!filled.includes('{'));
    assert.equal(translate('ru', 'spectators.count', { count: 3 }), RU['spectators.count'].replace('{count}', '3'));
    assert.ok(translate('en', 'pet.grew', { name: 'Rex' }).includes('{stage}'));
  });
});
