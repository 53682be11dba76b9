/**
 * The minigame's field: a room with polka dots and a rug (Catch the treats), a tiled bath with
 * the tub's water (Bubble bath), or a lawn with the kick zone, a glowing dashed band with its
 * label (Keep it up). In a dark theme the field keeps its hues but sits back.
 */
import Phaser from 'phaser';
import { mix, parseHex, toNumber, type Rgb } from '../../../../../shared/color.js';
import { BALL, type MinigameKind } from '../../../../../shared/minigames.js';
import { t } from '../../../i18n.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import type { Palette } from '../../../theme.js';
import type { FieldRect } from '../field.js';

const rgb = (hex: string): Rgb => parseHex(hex) ?? { r: 0, g: 0, b: 0 };

export class FieldBackdrop extends Phaser.GameObjects.Container {
  private readonly field: Phaser.GameObjects.Graphics;
  private readonly zone: Phaser.GameObjects.Graphics;
  private readonly zoneLabel: Phaser.GameObjects.Text;
  private palette: Palette;

  constructor(scene: Phaser.Scene, texts: TextFactory, palette: Palette) {
    super(scene, 0, 0);
    this.palette = palette;
    this.field = new Phaser.GameObjects.Graphics(scene);
    this.zone = new Phaser.GameObjects.Graphics(scene);
    this.zoneLabel = texts.make(0, 0, t('game.zone'), { size: 12, color: '#7a5b00', bold: true }).setOrigin(0, 1).setAlpha(0.8);
    this.add([this.field, this.zone, this.zoneLabel]);
  }

  /** Draws the field of a `kind` round at `rect` in the theme's `palette`. */
  draw(rect: FieldRect, kind: MinigameKind, palette: Palette): void {
    this.palette = palette;
    const g = this.field;
    const z = this.zone;
    const { x, y, width, height, scale } = rect;
    g.clear();
    z.clear();
    const radius = Math.min(22, width * 0.06);
    g.fillStyle(0x000000, palette.dark ? 0.3 : 0.08);
    g.fillRoundedRect(x, y + 3, width, height, radius);
    if (kind === 'treats') {
      g.fillStyle(this.color('#fff1dc'), 1);
      g.fillRoundedRect(x, y, width, height, radius);
      // Polka dots on the wall and a rug for the floor.
      g.fillStyle(this.color('#ffd9b0'), 0.55);
      for (let i = 0; i < 14; i++) {
        const px = x + (((i * 0.37) % 1) * 0.9 + 0.05) * width;
        const py = y + (((i * 0.61) % 1) * 0.8 + 0.05) * height;
        g.fillCircle(px, py, scale * 0.018);
      }
      g.fillStyle(toNumber(palette.stageFloor), 1);
      g.fillRoundedRect(x, y + height - scale * 0.08, width, scale * 0.08, { tl: 0, tr: 0, bl: radius, br: radius });
    } else if (kind === 'bubbles') {
      g.fillStyle(this.color('#e3f4ff'), 1);
      g.fillRoundedRect(x, y, width, height, radius);
      // Tiles, and the tub's rim and water at the bottom.
      g.lineStyle(1, this.color('#c9e7fb'), 0.8);
      for (let k = 1; k < 8; k++) g.lineBetween(x, y + (height * k) / 9, x + width, y + (height * k) / 9);
      for (let k = 1; k < 5; k++) g.lineBetween(x + (width * k) / 5, y, x + (width * k) / 5, y + height * 0.78);
      g.fillStyle(this.color('#9fd8f5'), 1);
      g.fillRoundedRect(x, y + height * 0.8, width, height * 0.2, { tl: 0, tr: 0, bl: radius, br: radius });
      g.fillStyle(this.color('#ffffff', 0.5), 1);
      g.fillRoundedRect(x - 2, y + height * 0.78, width + 4, scale * 0.04, scale * 0.02);
    } else {
      g.fillStyle(this.color('#eaf4ff'), 1);
      g.fillRoundedRect(x, y, width, height, radius);
      g.fillStyle(this.color('#cdeec0'), 1);
      g.fillRoundedRect(x, y + BALL.zoneBottom * scale, width, height - BALL.zoneBottom * scale, { tl: 0, tr: 0, bl: radius, br: radius });
      // The kick zone: a glowing band with dashed edges.
      const top = y + BALL.zoneTop * scale;
      const bottom = y + BALL.zoneBottom * scale;
      z.fillStyle(0xffd43b, palette.dark ? 0.22 : 0.3);
      z.fillRect(x, top, width, bottom - top);
      z.lineStyle(2, 0xf5a524, 0.9);
      const dash = 10;
      for (let px = x + 4; px < x + width - 4; px += dash * 2) {
        const end = Math.min(px + dash, x + width - 4);
        z.lineBetween(px, top, end, top);
        z.lineBetween(px, bottom, end, bottom);
      }
    }
    g.lineStyle(2, 0xffffff, palette.dark ? 0.08 : 0.7);
    g.strokeRoundedRect(x + 1, y + 1, width - 2, height - 2, radius);
    this.zoneLabel.setVisible(kind === 'ball');
    this.zoneLabel.setPosition(x + 10, y + BALL.zoneTop * scale - 3);
    this.zoneLabel.setColor(palette.dark ? '#ffd43b' : '#8a6400');
  }

  private color(hex: string, amount = 0.72): number {
    const base = rgb(hex);
    return toNumber(this.palette.dark ? mix(this.palette.surface, base, 1 - amount) : base);
  }
}
