import assert from 'node:assert/strict';
import { ADULT_FORMS, SPECIES, STAGES } from '../../../shared/balance.js';
import { renderPetSvg, type ProceduralPetInput } from '../../../server/images/procedural/index.js';

const SKINS = ['default', 'midnight', 'golden', 'sakura', 'maple', 'frost', 'meadow'];
const MAX_BYTES = 20 * 1024;

/** Every species × stage × form (adults only) × skin look, with a given seed. */
function allLooks(seed: number): ProceduralPetInput[] {
  const looks: ProceduralPetInput[] = [];
  for (const species of SPECIES) {
    for (let stage = 0; stage < STAGES.length; stage++) {
      const forms = stage === STAGES.length - 1 ? [1, 2, 3] : [0];
      for (const adultForm of forms) {
        for (const skin of SKINS) looks.push({ species, stage, adultForm, skin, seed });
      }
    }
  }
  return looks;
}

/**
 * A minimal XML well-formedness check: one root, tags balanced and properly nested,
 * attributes quoted, no text outside the root. Enough for the renderer's own output.
 */
function checkXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let roots = 0;
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    assert.ok(m, `unparsable XML at ${pos}: ${xml.slice(pos, pos + 60)}`);
    pos = token.lastIndex;
    const [, closing, name, , selfClosing, text] = m;
    if (text !== undefined) {
      assert.ok(stack.length > 0 || text.trim() === '', `text outside the root: ${text.slice(0, 40)}`);
      assert.ok(!/[<>]/.test(text) && !/&(?!amp;|lt;|gt;|quot;|apos;)/.test(text), 'unescaped text');
      continue;
    }
    if (closing) {
      assert.equal(stack.pop(), name, `mismatched </${name}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name ?? '');
  }
  assert.deepEqual(stack, [], 'unclosed tags');
  assert.equal(roots, 1, 'exactly one root element');
}

describe('procedural pet renderer', () => {
  it('is deterministic for every species, stage, form and skin', () => {
    for (const look of allLooks(0xc0ffee)) {
      assert.equal(renderPetSvg(look), renderPetSvg({ ...look }), JSON.stringify(look));
    }
  });

  it('produces well-formed, self-contained, small SVG documents', () => {
    for (const seed of [0, 1, 42, 0xffffffff, 2 ** 31 + 7]) {
      for (const look of allLooks(seed)) {
        const svg = renderPetSvg(look);
        const label = JSON.stringify(look);
        assert.ok(svg.startsWith('<svg '), label);
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.match(svg, / viewBox="0 0 512 512"/);
        assert.match(svg, / width="512" height="512"/);
        assert.doesNotMatch(svg, /<script|<image|<foreignObject|<style|<text|@import|href=|javascript:/i, label);
        assert.doesNotMatch(svg, /NaN|Infinity|undefined|\[object/, label);
        // Every url(#id) points at an id defined in the document.
        const ids = new Set([...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
        for (const [, ref] of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.has(ref), `dangling url(#${ref}) in ${label}`);
        assert.ok(Buffer.byteLength(svg, 'utf8') < MAX_BYTES, `${label}: ${svg.length} bytes`);
        checkXml(svg);
      }
    }
  });

  it('varies with the seed', () => {
    for (const look of allLooks(1)) {
      const outputs = new Set([1, 2, 3, 4, 5, 1234567].map((seed) => renderPetSvg({ ...look, seed })));
      assert.equal(outputs.size, 6, JSON.stringify(look));
    }
  });

  it('differs by species, stage, form and skin', () => {
    const base: ProceduralPetInput = { species: 'cat', stage: 4, adultForm: 2, skin: 'default', seed: 99 };
    const all = new Set(allLooks(99).map((look) => renderPetSvg(look)));
    assert.equal(all.size, allLooks(99).length);
    const one = renderPetSvg(base);
    for (const species of SPECIES.filter((s) => s !== 'cat')) assert.notEqual(renderPetSvg({ ...base, species }), one);
    for (const stage of [0, 1, 2, 3]) assert.notEqual(renderPetSvg({ ...base, stage, adultForm: 0 }), one);
    for (const adultForm of [1, 3]) assert.notEqual(renderPetSvg({ ...base, adultForm }), one);
    for (const skin of ['midnight', 'golden', 'sakura', 'maple', 'frost', 'meadow']) assert.notEqual(renderPetSvg({ ...base, skin }), one);
  });

  it('has a form only when adult: a non-adult ignores adultForm, an adult without one looks ordinary', () => {
    const teen: ProceduralPetInput = { species: 'fox', stage: 3, adultForm: 0, skin: 'default', seed: 5 };
    assert.equal(renderPetSvg({ ...teen, adultForm: 1 }), renderPetSvg(teen));
    const adult: ProceduralPetInput = { ...teen, stage: 4 };
    assert.equal(renderPetSvg({ ...adult, adultForm: 0 }), renderPetSvg({ ...adult, adultForm: 2 }));
    assert.ok(ADULT_FORMS.length === 4);
  });

  it('renders unknown skins as the default skin', () => {
    const look: ProceduralPetInput = { species: 'bunny', stage: 2, adultForm: 0, skin: 'default', seed: 7 };
    assert.equal(renderPetSvg({ ...look, skin: 'no-such-skin' }), renderPetSvg(look));
  });

  it('honours the output size and tolerates odd seeds and stages', () => {
    const look: ProceduralPetInput = { species: 'dog', stage: 1, adultForm: 0, skin: 'golden', seed: 3, size: 128 };
    const svg = renderPetSvg(look);
    assert.match(svg, / width="128" height="128" viewBox="0 0 512 512"/);
    // Only width/height change with the size.
    assert.equal(svg.replace(/ width="128" height="128"/, ''), renderPetSvg({ ...look, size: 1024 }).replace(/ width="1024" height="1024"/, ''));
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 40]) checkXml(renderPetSvg({ ...look, seed }));
    assert.equal(renderPetSvg({ ...look, seed: -1 }), renderPetSvg({ ...look, seed: 0xffffffff }));
    checkXml(renderPetSvg({ ...look, stage: 99 }));
    checkXml(renderPetSvg({ ...look, stage: -3 }));
  });
});
