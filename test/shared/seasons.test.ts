/**
 * The seasons table and the collection sets (shared/seasons.ts, shared/collection.ts): the
 * tables are well formed, season edges are half-open, and every skin of the catalog has a look
 * (the procedural renderer knows it) and an image prompt.
 */
import assert from 'node:assert/strict';
import { buildPrompt } from '../../server/images/prompts.js';
import { renderPetSvg } from '../../server/images/procedural/index.js';
import { skinOf } from '../../server/images/procedural/palette.js';
import { COLLECTION_SETS, SKIN_ITEMS, collectionSetProblems, skinSource } from '../../shared/collection.js';
import { SEASONS, currentSeason, onSaleAt, seasonOfItem, seasonStatus, seasonTableProblems, type SeasonDef } from '../../shared/seasons.js';
import { SHOP_ITEMS } from '../../shared/shop.js';
import { notInSeason, productOnSale } from '../../server/services/shop-service.js';

const at = (iso: string) => Date.parse(iso);

describe('seasons', () => {
  it('the table is well formed: UTC instants, oldest first, no overlaps, real items in one season each', () => {
    assert.deepEqual(seasonTableProblems(SEASONS), []);
  });

  it('finds what is wrong with a bad table', () => {
    const bad: SeasonDef[] = [
      { id: 'a', startsAt: '2027-01-01T00:00:00.000Z', endsAt: '2027-02-01T00:00:00.000Z', items: ['skin_frost'], setRewardCoins: 10 },
      { id: 'a', startsAt: '2027-01-15T00:00:00Z', endsAt: '2027-01-10T00:00:00.000Z', items: ['skin_frost', 'nothing' as never], setRewardCoins: 0 },
    ];
    const problems = seasonTableProblems(bad).join('\n');
    for (const wanted of ['duplicate id', 'not a UTC ISO instant', 'starts at or after its end', 'overlaps', 'is in two seasons', 'is not an item', 'setRewardCoins']) {
      assert.ok(problems.includes(wanted), `${wanted} in\n${problems}`);
    }
  });

  it('is half-open: the start instant is in, one ms before and the end instant are out', () => {
    const winter = SEASONS.find((s) => s.id === 'winter-2026')!;
    assert.equal(seasonStatus(winter, at(winter.startsAt) - 1), 'upcoming');
    assert.equal(seasonStatus(winter, at(winter.startsAt)), 'current');
    assert.equal(seasonStatus(winter, at(winter.endsAt) - 1), 'current');
    assert.equal(seasonStatus(winter, at(winter.endsAt)), 'past');
    assert.equal(onSaleAt('skin_frost', at(winter.startsAt) - 1), false);
    assert.equal(onSaleAt('skin_frost', at(winter.startsAt)), true);
    assert.equal(onSaleAt('skin_frost', at(winter.endsAt)), false);
    assert.equal(onSaleAt('kibble', 0), true, 'items of no season sell all year');
  });

  it('has a past, a current (on 2026-12-08) and a future season', () => {
    const dec8 = at('2026-12-08T12:00:00.000Z');
    assert.equal(currentSeason(dec8)?.id, 'winter-2026');
    assert.ok(SEASONS.some((s) => seasonStatus(s, dec8) === 'past'));
    assert.ok(SEASONS.some((s) => seasonStatus(s, dec8) === 'upcoming'));
    assert.equal(currentSeason(at('2026-06-17T12:00:00.000Z')), undefined, 'between seasons nothing is current');
  });

  it('a Stars product granting a seasonal item is on sale only in its season, and the refusal names the window', () => {
    const winter = SEASONS.find((s) => s.id === 'winter-2026')!;
    assert.equal(productOnSale({ skin_frost: 1, kibble: 3 }, at(winter.startsAt) - 1), false);
    assert.equal(productOnSale({ skin_frost: 1, kibble: 3 }, at(winter.startsAt)), true);
    assert.equal(productOnSale({ skin_frost: 1 }, at(winter.endsAt)), false);
    assert.equal(productOnSale(undefined, 0), true, 'coins only');
    const refusal = notInSeason('skin_frost');
    assert.equal(refusal.code, 'NOT_IN_SEASON');
    assert.equal(refusal.status, 409);
    assert.deepEqual(refusal.details, { itemId: 'skin_frost', seasonId: 'winter-2026', startsAt: winter.startsAt, endsAt: winter.endsAt });
  });

  it('every seasonal item is in the shop (its season decides when)', () => {
    for (const season of SEASONS) for (const item of season.items) assert.ok(SHOP_ITEMS.some((i) => i.itemId === item), `${item} is sold`);
  });
});

describe('collection sets', () => {
  it('are well formed, with one set per season that has skins', () => {
    assert.deepEqual(collectionSetProblems(COLLECTION_SETS), []);
    for (const season of SEASONS) assert.ok(COLLECTION_SETS.some((s) => s.seasonId === season.id), `${season.id} has a set`);
    assert.deepEqual(COLLECTION_SETS.find((s) => s.id === 'classic')?.items, ['skin_sakura', 'skin_midnight', 'skin_golden']);
  });

  it('says how each skin is had', () => {
    const dec8 = at('2026-12-08T12:00:00.000Z');
    assert.deepEqual(skinSource('skin_sakura', dec8), { kind: 'shop' });
    assert.deepEqual(skinSource('skin_golden', dec8), { kind: 'stars', productId: 'skin_golden', stars: 150 });
    assert.deepEqual(skinSource('skin_maple', dec8), { kind: 'season_past', seasonId: 'autumn-2026' });
    assert.deepEqual(skinSource('skin_frost', dec8), { kind: 'season_now', seasonId: 'winter-2026', endsAt: '2027-03-01T00:00:00.000Z' });
    assert.deepEqual(skinSource('skin_meadow', dec8), { kind: 'season_upcoming', seasonId: 'spring-2027', startsAt: '2027-03-01T00:00:00.000Z' });
    assert.equal(seasonOfItem('skin_sakura'), undefined);
  });

  it('every skin in the catalog has its own look and an image prompt', () => {
    const base = { species: 'cat' as const, stage: 4, adultForm: 2, seed: 7 };
    const plain = renderPetSvg({ ...base, skin: 'default' });
    for (const { skin } of SKIN_ITEMS) {
      assert.equal(skinOf(skin), skin, `the renderer knows ${skin}`);
      assert.notEqual(renderPetSvg({ ...base, skin }), plain, `${skin} looks different`);
      const plainPrompt = buildPrompt({ species: 'cat', stage: 4, adultForm: 2, skin: 'default', preset: 'fast' }).prompt;
      assert.notEqual(buildPrompt({ species: 'cat', stage: 4, adultForm: 2, skin, preset: 'fast' }).prompt, plainPrompt, `${skin} has a prompt`);
    }
  });
});
