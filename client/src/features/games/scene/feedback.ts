/**
 * Feedback over the field: a ring where a tap landed, the points or the reason of a miss
 * floating up, and the round's name, big, for a moment at its start.
 */
import Phaser from 'phaser';
import { toHex } from '../../../../../shared/color.js';
import { FIELD_WIDTH } from '../../../../../shared/minigames.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import type { Palette } from '../../../theme.js';
import { fieldRect, fieldToStage, type FieldRect } from '../field.js';

export class Feedback extends Phaser.GameObjects.Container {
  private readonly rings: Phaser.GameObjects.Container;
  private readonly labels: Phaser.GameObjects.Container;
  private rect: FieldRect = fieldRect(1, 1);

  constructor(
    scene: Phaser.Scene,
    private readonly texts: TextFactory,
    private palette: Palette,
  ) {
    super(scene, 0, 0);
    this.rings = new Phaser.GameObjects.Container(scene);
    this.labels = new Phaser.GameObjects.Container(scene);
    this.add([this.rings, this.labels]);
  }

  setField(rect: FieldRect, palette: Palette): void {
    this.rect = rect;
    this.palette = palette;
  }

  /** An expanding ring where a tap landed (field units). */
  ripple(fx: number, fy: number, color: number, alpha: number): void {
    const p = fieldToStage(this.rect, fx, fy);
    const ring = new Phaser.GameObjects.Graphics(this.scene).setPosition(p.x, p.y);
    this.rings.add(ring);
    const state = { r: 6, a: alpha };
    this.scene.tweens.add({
      targets: state,
      r: 26,
      a: 0,
      duration: 380,
      ease: 'Cubic.easeOut',
      onUpdate: () => {
        ring.clear();
        ring.lineStyle(3, color, state.a);
        ring.strokeCircle(0, 0, state.r);
      },
      onComplete: () => ring.destroy(),
    });
  }

  /** `value` floating up from field (fx, fy), kept inside the field's sides. */
  floatText(fx: number, fy: number, value: string, size: number, color = '#ff7a59'): void {
    const p = fieldToStage(this.rect, Math.min(Math.max(fx, 0.08), FIELD_WIDTH - 0.08), fy);
    const label = this.texts.make(p.x, p.y, value, { size, color, bold: true, stroke: { color: toHex(this.palette.surface), width: 4 } }).setOrigin(0.5, 1);
    this.labels.add(label);
    this.scene.tweens.add({
      targets: label,
      y: p.y - 42,
      alpha: { from: 1, to: 0 },
      duration: 750,
      ease: 'Cubic.easeOut',
      onComplete: () => label.destroy(),
    });
  }

  /** The round's name, big, for a moment at the start. */
  banner(value: string): void {
    const { x, y, width, height } = this.rect;
    const label = this.texts
      .make(x + width / 2, y + height * 0.4, value, { size: 26, color: toHex(this.palette.text), bold: true, stroke: { color: toHex(this.palette.surface), width: 6 } })
      .setOrigin(0.5)
      .setScale(0.6)
      .setAlpha(0);
    this.labels.add(label);
    const tweens = this.scene.tweens;
    tweens.add({ targets: label, scale: 1, alpha: 1, duration: 260, ease: 'Back.easeOut' });
    tweens.add({ targets: label, alpha: 0, delay: 1100, duration: 400, onComplete: () => label.destroy() });
  }
}
