/**
 * The room behind the pet: a soft light behind the card (or a halo and an oval rug under the
 * procedural pet), a golden glow for a radiant adult, the card's shadow on the floor, the
 * room dimmed when the pet is sick and night-blue with a moon and stars while it sleeps, and
 * the line shown when there is no pet (or while it loads).
 */
import Phaser from 'phaser';
import { toHex } from '../../../../../shared/color.js';
import { drawIcon } from '../../../art/icons.js';
import { t } from '../../../i18n.js';
import type { PetView } from '../../../../../shared/room-state.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import { paletteNumber, type Palette } from '../../../theme.js';
import type { HomeLayout } from '../home-layout.js';
import type { FigureMode, FigurePlace } from './pet-figure.js';

const MOON_KEY = 'home:moon';
const NIGHT_TINT = 0x1a2350;
const SICK_TINT = 0x1b1420;

export class HomeBackdrop extends Phaser.GameObjects.Container {
  private readonly glow: Phaser.GameObjects.Graphics;
  private readonly floorShadow: Phaser.GameObjects.Ellipse;
  private readonly dim: Phaser.GameObjects.Rectangle;
  private readonly stars: Phaser.GameObjects.Graphics;
  private readonly moon: Phaser.GameObjects.Image;
  private readonly empty: Phaser.GameObjects.Text;
  private stageWidth = 1;

  constructor(
    scene: Phaser.Scene,
    texts: TextFactory,
    private palette: Palette,
  ) {
    super(scene, 0, 0);
    if (!scene.textures.exists(MOON_KEY)) {
      const canvas = document.createElement('canvas');
      canvas.width = 96;
      canvas.height = 96;
      const ctx = canvas.getContext('2d');
      if (ctx) drawIcon(ctx, 'moon', 0, 0, 96, '#ffe08a');
      scene.textures.addCanvas(MOON_KEY, canvas);
    }
    this.glow = new Phaser.GameObjects.Graphics(scene);
    this.floorShadow = new Phaser.GameObjects.Ellipse(scene, 0, 0, 10, 10, 0x000000, 0.12).setVisible(false);
    this.dim = new Phaser.GameObjects.Rectangle(scene, 0, 0, 10, 10, SICK_TINT, 0).setOrigin(0, 0);
    this.stars = new Phaser.GameObjects.Graphics(scene).setVisible(false);
    this.moon = new Phaser.GameObjects.Image(scene, 0, 0, MOON_KEY).setDisplaySize(34, 34).setVisible(false);
    this.empty = texts.make(0, 0, t('home.noPets'), { size: 16, color: toHex(palette.hint) }).setOrigin(0.5).setVisible(false);
    this.add([this.glow, this.floorShadow, this.dim, this.stars, this.moon, this.empty]);
  }

  applyPalette(palette: Palette): void {
    this.palette = palette;
    this.empty.setColor(toHex(palette.hint));
  }

  /** What depends only on the stage's size (`width` × `height` CSS px). */
  resize(width: number, height: number, box: HomeLayout): void {
    this.stageWidth = width;
    this.dim.setSize(width, height);
    this.moon.setPosition(width - 34, 30);
    this.empty.setPosition(width / 2, box.floorY - (box.floorY - 8) * 0.45);
  }

  /** The light behind the pet where it stands now, and the card's shadow on the floor. */
  drawRoom(mode: FigureMode, place: FigurePlace, box: HomeLayout, radiant: boolean): void {
    const g = this.glow;
    const dark = this.palette.dark;
    const { cx, floorY, petSize: size } = place;
    const p = box.picture;
    g.clear();
    this.floorShadow.setPosition(cx, place.baseY + 9).setSize(p.width * 0.84, Math.max(8, p.width * 0.07));
    this.floorShadow.setFillStyle(0x000000, dark ? 0.3 : 0.12);
    this.drawStars(floorY);
    if (mode === 'card') {
      const cy = p.y + p.height / 2;
      if (radiant) {
        for (const [r, a] of [
          [0.86, 0.08],
          [0.74, 0.12],
          [0.64, 0.16],
        ] as const) {
          g.fillStyle(0xffd43b, a);
          g.fillCircle(cx, cy, p.width * r);
        }
      }
      // A soft light behind the card.
      g.fillStyle(0xffffff, dark ? 0.05 : 0.4);
      g.fillCircle(cx, cy, p.width * 0.7);
      return;
    }
    if (radiant) {
      // A radiant adult glows.
      for (const [r, a] of [
        [0.62, 0.08],
        [0.52, 0.12],
        [0.42, 0.16],
      ] as const) {
        g.fillStyle(0xffd43b, a);
        g.fillCircle(cx, floorY - size * 0.36, size * r);
      }
    }
    // A soft halo behind the pet and an oval rug under it.
    g.fillStyle(0xffffff, dark ? 0.06 : 0.45);
    g.fillCircle(cx, floorY - size * 0.36, size * 0.46);
    g.fillStyle(0xffffff, dark ? 0.04 : 0.35);
    g.fillCircle(cx, floorY - size * 0.36, size * 0.34);
    g.fillStyle(paletteNumber(this.palette.stageFloor), 1);
    g.fillEllipse(cx, floorY + 4, size * 0.95, size * 0.16);
    g.lineStyle(2, 0xffffff, dark ? 0.08 : 0.4);
    g.strokeEllipse(cx, floorY + 4, size * 0.82, size * 0.11);
    g.fillStyle(0x000000, 0.12);
    g.fillEllipse(cx, floorY + 2, size * 0.5, size * 0.06);
  }

  /**
   * The room for the pet on show: dimmed when it is sick, a night sky while it sleeps; with
   * no pet, the "no pets" (or loading) line.
   */
  setPet(pet: PetView | null, loading: boolean): void {
    this.empty.setVisible(!pet).setText(loading ? t('app.loading') : t('home.noPets'));
    if (pet?.asleep === true) this.dim.setFillStyle(NIGHT_TINT, 0.38);
    else this.dim.setFillStyle(SICK_TINT, pet?.sick === true ? 0.12 : 0);
    const night = pet?.asleep === true;
    this.moon.setVisible(night);
    this.stars.setVisible(night);
  }

  /** The card's shadow on the floor, under the card only. */
  showShadow(visible: boolean): void {
    this.floorShadow.setVisible(visible);
  }

  /** The card's shadow shrinks and fades as the card hops `lift` CSS px off the floor. */
  liftShadow(lift: number): void {
    this.floorShadow.setScale(Math.max(0.5, 1 - lift / 140)).setAlpha(Math.max(0.3, 1 - lift / 120));
  }

  private drawStars(floorY: number): void {
    const g = this.stars;
    g.clear();
    const w = this.stageWidth;
    const h = floorY * 0.6;
    g.fillStyle(0xfff6d6, 0.85);
    for (let i = 0; i < 12; i++) {
      const x = ((i * 0.618 + 0.07) % 1) * w;
      const y = ((i * 0.377 + 0.11) % 1) * h + 8;
      g.fillCircle(x, y, i % 3 === 0 ? 1.8 : 1.1);
    }
  }
}
