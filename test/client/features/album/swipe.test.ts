import assert from 'node:assert/strict';
import { FLICK_MIN_PX, SWIPE_MIN_PX, SWIPE_SHARE, dragOffset, isSideways, swipeDirection } from '../../../../client/src/features/album/swipe.js';

describe('album swipe', () => {
  const width = 370;
  const far = Math.ceil(width * SWIPE_SHARE);

  it('turns to the next picture on a leftward drag past the threshold, the previous on a rightward one', () => {
    assert.equal(swipeDirection({ dx: -far, dy: 0, ms: 800 }, width), 1);
    assert.equal(swipeDirection({ dx: far, dy: 10, ms: 800 }, width), -1);
    assert.equal(swipeDirection({ dx: -(far - 1), dy: 0, ms: 800 }, width), 0, 'a slow drag short of the threshold stays');
  });

  it('never needs less than the minimum distance on a narrow viewer', () => {
    assert.equal(swipeDirection({ dx: -(SWIPE_MIN_PX - 1), dy: 0, ms: 1000 }, 100), 0);
    assert.equal(swipeDirection({ dx: -SWIPE_MIN_PX, dy: 0, ms: 1000 }, 100), 1);
  });

  it('turns on a quick flick over a short distance, but not on a twitch', () => {
    assert.equal(swipeDirection({ dx: -30, dy: 2, ms: 40 }, width), 1);
    assert.equal(swipeDirection({ dx: FLICK_MIN_PX - 1, dy: 0, ms: 5 }, width), 0);
  });

  it('leaves vertical drags to scrolling', () => {
    assert.equal(swipeDirection({ dx: -far, dy: far + 1, ms: 100 }, width), 0);
    assert.equal(isSideways(20, 40), false);
    assert.equal(isSideways(30, 10), true);
    assert.equal(isSideways(5, 0), false, 'too small to tell');
  });

  it('follows the finger, with resistance past either end', () => {
    assert.equal(dragOffset(-90, true, true), -90);
    assert.equal(dragOffset(90, false, true), 30);
    assert.equal(dragOffset(-90, true, false), -30);
  });
});
