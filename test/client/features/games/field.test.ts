import assert from 'node:assert/strict';
import { FIELD_HEIGHT, TREATS } from '../../../../shared/minigames.js';
import { burstsWhenGone, fieldRect, fieldToStage } from '../../../../client/src/features/games/field.js';
import { fieldViewport } from '../../../../client/src/features/games/scene/field-clip.js';

describe('client minigame field', () => {
  describe('the camera that clips the targets to the field', () => {
    for (const [width, height, dpr] of [
      [390, 700, 1],
      [390, 700, 2],
      [375, 655.5, 3],
      [411.43, 731.43, 2.625],
    ] as const) {
      it(`covers the field on whole device pixels and draws a target where the stage does (${width}×${height} @${dpr}x)`, () => {
        const rect = fieldRect(width, height);
        const view = fieldViewport(rect, dpr);
        for (const n of [view.x, view.y, view.width, view.height]) assert.ok(Number.isInteger(n), `${n} is a whole device pixel`);
        // The viewport is the field, give or take half a device pixel at each edge.
        assert.ok(Math.abs(view.x - rect.x * dpr) <= 0.5);
        assert.ok(Math.abs(view.y - rect.y * dpr) <= 0.5);
        assert.ok(Math.abs(view.x + view.width - (rect.x + rect.width) * dpr) <= 0.5);
        assert.ok(Math.abs(view.y + view.height - (rect.y + rect.height) * dpr) <= 0.5);
        // A camera with origin (0, 0) and zoom dpr puts stage point p at view + (p − scroll) · dpr.
        for (const [fx, fy] of [[0.5, 0.8], [0.1, 0], [0.9, FIELD_HEIGHT]] as const) {
          const p = fieldToStage(rect, fx, fy);
          assert.ok(Math.abs(view.x + (p.x - view.scrollX) * dpr - p.x * dpr) < 1e-9);
          assert.ok(Math.abs(view.y + (p.y - view.scrollY) * dpr - p.y * dpr) < 1e-9);
        }
      });
    }
  });

  describe('which targets burst when they leave the round', () => {
    const r = TREATS.radius;

    it('a treat caught in the field bursts; one that fell out past the floor does not', () => {
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: 0.8, r }), true);
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: FIELD_HEIGHT - r, r }), true, 'resting on the floor');
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: FIELD_HEIGHT - r / 2, r }), false, 'half through the floor');
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: FIELD_HEIGHT + r * 1.1, r }), false, 'gone below');
    });

    it('a treat still above the field does not burst; one coming in does', () => {
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: -r * 1.1, r }), false);
      assert.equal(burstsWhenGone('treat', { x: 0.5, y: 0, r }), true);
    });

    it('a bubble bursts anywhere in the field, the ball never', () => {
      assert.equal(burstsWhenGone('bubble', { x: 0.5, y: 0.02, r: 0.1 }), true);
      assert.equal(burstsWhenGone('bubble', { x: 0.5, y: FIELD_HEIGHT, r: 0.1 }), true);
      assert.equal(burstsWhenGone('ball', { x: 0.5, y: 0.8, r: 0.1 }), false);
    });
  });
});
