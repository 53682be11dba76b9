/**
 * The minigame playfield on screen and in time: where the field (1 × FIELD_HEIGHT, origin
 * top-left, y down) sits inside the stage, and where a target is now, extrapolated from
 * the server's sample. The scene (drawing), the app (taps) and the test hook all use these
 * functions, so a click lands where the target is drawn.
 */
import { BALL, FIELD_HEIGHT, FIELD_WIDTH } from '../../../../shared/minigames.js';
import type { TargetView } from '../../../../shared/room-state.js';
import type { TargetKind } from '../../../../shared/minigames.js';

export interface FieldRect {
  /** Top-left of the field in stage CSS pixels. */
  x: number;
  y: number;
  /** CSS pixels per field unit. */
  scale: number;
  width: number;
  height: number;
}

/** Room around the field inside the stage, in CSS pixels. */
const FIELD_MARGIN = 4;

/** The largest field of the right aspect that fits a stage of `width` × `height`, centred. */
export function fieldRect(width: number, height: number): FieldRect {
  const scale = Math.max(1, Math.min((width - FIELD_MARGIN * 2) / FIELD_WIDTH, (height - FIELD_MARGIN * 2) / FIELD_HEIGHT));
  const w = FIELD_WIDTH * scale;
  const h = FIELD_HEIGHT * scale;
  return { x: (width - w) / 2, y: (height - h) / 2, scale, width: w, height: h };
}

export function fieldToStage(rect: FieldRect, fx: number, fy: number): { x: number; y: number } {
  return { x: rect.x + fx * rect.scale, y: rect.y + fy * rect.scale };
}

export function stageToField(rect: FieldRect, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - rect.x) / rect.scale, y: (sy - rect.y) / rect.scale };
}

/** How far past a sample positions are extrapolated at most (patches come every 50 ms). */
const MAX_EXTRAPOLATION_S = 0.5;

export interface TargetNow {
  x: number;
  y: number;
  r: number;
}

/**
 * Where `t` is `dtSeconds` after its sample: straight lines for treats and bubbles (bubbles
 * grow), a parabola bouncing off the side walls for the ball, as the server moves them.
 */
export function extrapolate(t: TargetView, dtSeconds: number, out: TargetNow = { x: 0, y: 0, r: 0 }): TargetNow {
  const dt = Math.min(MAX_EXTRAPOLATION_S, Math.max(0, dtSeconds));
  out.r = Math.max(0, t.r + t.dr * dt);
  if (t.kind !== 'ball') {
    out.x = t.x + t.vx * dt;
    out.y = t.y + t.vy * dt;
    return out;
  }
  let x = t.x + t.vx * dt;
  const lo = t.r;
  const hi = FIELD_WIDTH - t.r;
  if (x < lo) x = 2 * lo - x;
  else if (x > hi) x = 2 * hi - x;
  out.x = x;
  out.y = t.y + t.vy * dt + 0.5 * BALL.gravity * dt * dt;
  return out;
}

/**
 * Whether a target that left the round at `at` bursts there: a treat or a bubble still in the
 * field was caught (by someone else's tap, as spectators see it) or burst on its own; a treat
 * whose bottom is past the floor fell out, a miss, and just goes. The ball never bursts.
 */
export function burstsWhenGone(kind: TargetKind, at: TargetNow): boolean {
  if (kind === 'ball') return false;
  const inField = at.y - at.r < FIELD_HEIGHT && at.y + at.r > 0;
  const fellOut = kind === 'treat' && at.y + at.r > FIELD_HEIGHT;
  return inField && !fellOut;
}
