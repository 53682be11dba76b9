/**
 * Text on the stage: one font stack, rendered at device resolution so it stays crisp under
 * the camera's device-pixel zoom (see StageScene), with an optional outline that keeps a
 * label readable over anything. Every scene and container makes its text here.
 */
import Phaser from 'phaser';

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

interface TextLook {
  /** CSS pixels. */
  size: number;
  color: string;
  bold?: boolean;
  /** An outline around the glyphs. */
  stroke?: { color: string; width: number };
}

export class TextFactory {
  constructor(
    private readonly scene: Phaser.Scene,
    private readonly dpr: number,
  ) {}

  /** A text object in no display list yet: add it to a container (or to the scene). */
  make(x: number, y: number, value: string, look: TextLook): Phaser.GameObjects.Text {
    const text = new Phaser.GameObjects.Text(this.scene, x, y, value, {
      fontFamily: FONT_FAMILY,
      fontSize: `${look.size}px`,
      color: look.color,
      fontStyle: look.bold === true ? 'bold' : 'normal',
    });
    text.setResolution(this.dpr);
    if (look.stroke) text.setStroke(look.stroke.color, look.stroke.width);
    return text;
  }
}
