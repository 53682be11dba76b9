/**
 * The four meter bars on a rounded card: label, value and a bar per meter, in a 2×2 grid.
 * Displayed values glide toward the server's values so patches never make the bars jump.
 * Above the pet and its effects: the numbers stay readable through every reaction.
 */
import Phaser from 'phaser';
import { CRITICAL_THRESHOLD, type Meter } from '../../../../../shared/balance.js';
import { toHex } from '../../../../../shared/color.js';
import { drawIcon, type IconName } from '../../../art/icons.js';
import { t } from '../../../i18n.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import { paletteNumber, type Palette } from '../../../theme.js';
import { METER_CARD_HEIGHT } from '../home-layout.js';

const METERS: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];

const METER_COLORS: Record<Meter, number> = {
  hunger: 0xffa24c,
  mood: 0xff6fa3,
  cleanliness: 0x4db7f5,
  health: 0x4cc38a,
};
const CRITICAL_COLOR = 0xe5484d;

const METER_ICONS: Record<Meter, IconName> = {
  hunger: 'feed',
  mood: 'play',
  cleanliness: 'clean',
  health: 'heal',
};

const hex = (n: number): string => `#${n.toString(16).padStart(6, '0')}`;

interface MeterRow {
  meter: Meter;
  icon: Phaser.GameObjects.Image;
  label: Phaser.GameObjects.Text;
  value: Phaser.GameObjects.Text;
  shown: number;
  target: number;
  x: number;
  y: number;
  w: number;
}

export class MeterBars extends Phaser.GameObjects.Container {
  private readonly card: Phaser.GameObjects.Graphics;
  private readonly bars: Phaser.GameObjects.Graphics;
  private readonly rows: MeterRow[];
  private hasValues = false;
  private pulse = 0;
  private cardRect = { x: 0, y: 0, w: 0, h: 0 };

  constructor(
    scene: Phaser.Scene,
    private readonly texts: TextFactory,
    private palette: Palette,
  ) {
    super(scene, 0, 0);
    this.card = new Phaser.GameObjects.Graphics(scene);
    this.bars = new Phaser.GameObjects.Graphics(scene);
    this.add([this.card, this.bars]);
    this.rows = METERS.map((meter) => {
      const iconKey = `meter-icon:${meter}`;
      if (!scene.textures.exists(iconKey)) {
        const canvas = document.createElement('canvas');
        canvas.width = 48;
        canvas.height = 48;
        const ctx = canvas.getContext('2d');
        if (ctx) drawIcon(ctx, METER_ICONS[meter], 0, 0, 48, hex(METER_COLORS[meter]));
        scene.textures.addCanvas(iconKey, canvas);
      }
      const label = texts.make(0, 0, t(`meter.${meter}`), { size: 13, color: '#000' });
      const value = texts.make(0, 0, '–', { size: 14, color: '#000', bold: true }).setOrigin(1, 0);
      const icon = new Phaser.GameObjects.Image(scene, 0, 0, iconKey).setDisplaySize(15, 15).setOrigin(0, 0);
      return { meter, icon, label, value, shown: 0, target: 0, x: 0, y: 0, w: 0 };
    });
    // Icons, labels and values over the bars, as one layer.
    this.add(this.rows.flatMap((row) => [row.label, row.value, row.icon]));
    this.applyPalette(palette);
    scene.add.existing(this);
  }

  applyPalette(palette: Palette): void {
    this.palette = palette;
    for (const row of this.rows) row.label.setColor(toHex(palette.hint));
    this.drawCard();
  }

  /** Places the card at (x, y) with width `w`. */
  place(x: number, y: number, w: number): void {
    this.cardRect = { x, y, w, h: METER_CARD_HEIGHT };
    const pad = 16;
    const gap = 18;
    const cellW = (w - pad * 2 - gap) / 2;
    this.rows.forEach((row, i) => {
      row.x = x + pad + (i % 2) * (cellW + gap);
      row.y = y + 16 + Math.floor(i / 2) * 48;
      row.w = cellW;
      row.icon.setPosition(row.x, row.y + 1);
      row.label.setPosition(row.x + 20, row.y);
      row.value.setPosition(row.x + cellW, row.y - 1);
    });
    this.drawCard();
    this.drawBars();
  }

  private drawCard(): void {
    const { x, y, w, h } = this.cardRect;
    const g = this.card;
    g.clear();
    if (w <= 0) return;
    g.fillStyle(0x000000, this.palette.dark ? 0.25 : 0.06);
    g.fillRoundedRect(x, y + 3, w, h, 20);
    g.fillStyle(paletteNumber(this.palette.surface), 1);
    g.fillRoundedRect(x, y, w, h, 20);
  }

  /** Sets the values to show; the first call (or `immediate`) skips the glide. */
  setValues(values: Record<Meter, number>, immediate = false): void {
    for (const row of this.rows) {
      row.target = Math.min(100, Math.max(0, values[row.meter]));
      if (immediate || !this.hasValues) row.shown = row.target;
    }
    this.hasValues = true;
    this.drawBars();
  }

  /** Advances the glide; call from the scene's update. */
  tick(deltaMs: number): void {
    if (!this.hasValues) return;
    this.pulse += deltaMs / 1000;
    const k = 1 - Math.exp(-deltaMs / 160);
    for (const row of this.rows) {
      const diff = row.target - row.shown;
      row.shown = Math.abs(diff) < 0.05 ? row.target : row.shown + diff * k;
    }
    this.drawBars();
  }

  private drawBars(): void {
    const g = this.bars;
    g.clear();
    if (!this.hasValues) return;
    const track = paletteNumber(this.palette.surface2);
    for (const row of this.rows) {
      const critical = row.target <= CRITICAL_THRESHOLD;
      const color = critical ? CRITICAL_COLOR : METER_COLORS[row.meter];
      const barY = row.y + 22;
      const barH = 10;
      g.fillStyle(track, 1);
      g.fillRoundedRect(row.x, barY, row.w, barH, barH / 2);
      const fillW = (row.w * row.shown) / 100;
      if (fillW > 0.5) {
        // Critical bars breathe so a glance finds them.
        const alpha = critical ? 0.7 + 0.3 * Math.sin(this.pulse * 5) : 1;
        g.fillStyle(color, alpha);
        g.fillRoundedRect(row.x, barY, Math.max(fillW, barH), barH, barH / 2);
        g.fillStyle(0xffffff, 0.28);
        g.fillRoundedRect(row.x + 3, barY + 2, Math.max(fillW - 6, 2), 3, 1.5);
      }
      row.value.setText(String(Math.round(row.shown)));
      row.value.setColor(critical ? hex(CRITICAL_COLOR) : toHex(this.palette.text));
    }
  }

  /** Floats "+25" / "−8" up from a meter's value. */
  floatDelta(meter: Meter, amount: number): void {
    const row = this.rows.find((r) => r.meter === meter);
    if (!row || Math.round(amount) === 0) return;
    const rounded = Math.round(amount);
    const label = rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
    const color = rounded > 0 ? hex(METER_COLORS[meter]) : hex(CRITICAL_COLOR);
    const text = this.texts
      .make(row.x + row.w, row.y - 2, label, { size: 16, color, bold: true, stroke: { color: toHex(this.palette.surface), width: 4 } })
      .setOrigin(1, 1);
    this.add(text);
    this.scene.tweens.add({
      targets: text,
      y: row.y - 30,
      alpha: { from: 1, to: 0 },
      duration: 1100,
      ease: 'Cubic.easeOut',
      onComplete: () => text.destroy(),
    });
  }
}
