/**
 * When a horizontal drag over the album is a swipe to the next or previous picture: far
 * enough (a share of the width, at least a minimum), or a quick flick; and more sideways than
 * up or down (a vertical drag scrolls the page instead). Pure, for the unit tests.
 */

/** A drag must cover this share of the viewer's width to turn the page... */
export const SWIPE_SHARE = 0.2;
/** ...and never less than this many CSS pixels. */
export const SWIPE_MIN_PX = 40;
/** A flick this fast (CSS px per ms) turns the page over a shorter distance... */
export const FLICK_SPEED = 0.5;
/** ...of at least this many pixels. */
export const FLICK_MIN_PX = 16;

export interface Drag {
  dx: number;
  dy: number;
  /** How long the finger was down, in ms. */
  ms: number;
}

/** +1: the next (older) picture, -1: the previous one, 0: stay. */
export function swipeDirection(drag: Drag, width: number): -1 | 0 | 1 {
  const distance = Math.abs(drag.dx);
  if (distance <= Math.abs(drag.dy)) return 0;
  const far = distance >= Math.max(SWIPE_MIN_PX, width * SWIPE_SHARE);
  const flick = distance >= FLICK_MIN_PX && distance / Math.max(drag.ms, 1) >= FLICK_SPEED;
  if (!far && !flick) return 0;
  // Dragging leftwards brings the next picture in from the right.
  return drag.dx < 0 ? 1 : -1;
}

/** Whether a drag that has moved this far is sideways (the viewer follows the finger) rather than a scroll. */
export function isSideways(dx: number, dy: number): boolean {
  return Math.abs(dx) > 8 && Math.abs(dx) > Math.abs(dy) * 1.2;
}

/**
 * How far the viewer follows a drag: all the way, but with resistance past the first or last
 * picture (a third of the distance), so the edge is felt.
 */
export function dragOffset(dx: number, canPrev: boolean, canNext: boolean): number {
  if ((dx > 0 && !canPrev) || (dx < 0 && !canNext)) return dx / 3;
  return dx;
}
