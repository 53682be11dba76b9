/**
 * Geometry of the home stage in CSS pixels, shared by the home scene (which draws it) and
 * the DOM overlay over the stage (the picture menu button sits on the picture's corner).
 * Pure: no Phaser, no DOM.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HomeLayout {
  margin: number;
  /** Top of the meter card. */
  metersY: number;
  /** Where the procedural pet's feet touch the rug. */
  floorY: number;
  /** Side of the procedural pet's square texture on screen. */
  petSize: number;
  /** The pet's picture card, frame included. */
  picture: Rect;
}

/** Height of the meter card in CSS pixels (taller text needs no more room). */
export const METER_CARD_HEIGHT = 112;
const MARGIN = 12;
/** Room between the picture card and the meter card (the card's shadow lives there). */
const PICTURE_GAP_BELOW = 18;
const PICTURE_GAP_ABOVE = 10;
const PICTURE_MAX = 340;

export function homeLayout(width: number, height: number): HomeLayout {
  const metersY = height - METER_CARD_HEIGHT - MARGIN;
  const floorY = metersY - 22;
  const area = floorY - 8;
  const petSize = Math.max(80, Math.min(area * 1.02, width * 0.82, 360));
  const top = PICTURE_GAP_ABOVE;
  const bottom = metersY - PICTURE_GAP_BELOW;
  const room = Math.max(0, bottom - top);
  const side = Math.round(Math.max(72, Math.min(room, width * 0.74, PICTURE_MAX)));
  // Spare height goes mostly above the card: it floats a little over the meters.
  const y = Math.round(top + Math.max(0, room - side) * 0.6);
  return {
    margin: MARGIN,
    metersY,
    floorY,
    petSize,
    picture: { x: Math.round((width - side) / 2), y, width: side, height: side },
  };
}
