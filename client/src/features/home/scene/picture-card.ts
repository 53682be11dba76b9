/**
 * The pet's painted picture in a framed card: a soft shadow and a light mat, two pictures for
 * cross-fades, a thin rim, and a shimmering skeleton (with "Painting your pet…") while the
 * picture is painted or downloaded. Its origin is the card's bottom centre; the pet figure
 * moves it as a whole.
 */
import Phaser from 'phaser';
import { mix, toHex, toNumber } from '../../../../../shared/color.js';
import { PICTURE_RADIUS } from '../../../art/picture-textures.js';
import { t } from '../../../i18n.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import type { Palette } from '../../../theme.js';

/** Cross-fade between two pictures, and between a picture and the skeleton, ms. */
export const FADE_MS = 450;
/** One sweep of the skeleton's shimmer, seconds. */
const SHIMMER_S = 1.6;
/** Rows of the shimmer band, CSS px (the band is clipped to the rounded card row by row). */
const SHIMMER_ROW = 3;

/** How far a rounded square's edge is inset at height `y` from its top (corner radius `r`). */
function cornerInset(y: number, size: number, r: number): number {
  const d = y < r ? r - y : y > size - r ? y - (size - r) : 0;
  return d > 0 ? r - Math.sqrt(Math.max(0, r * r - d * d)) : 0;
}

export class PictureCard extends Phaser.GameObjects.Container {
  private readonly frame: Phaser.GameObjects.Graphics;
  private readonly back: Phaser.GameObjects.Image;
  private readonly front: Phaser.GameObjects.Image;
  private readonly rim: Phaser.GameObjects.Graphics;
  private readonly skeleton: Phaser.GameObjects.Graphics;
  private readonly paintingLabel: Phaser.GameObjects.Text;
  private readonly hit: Phaser.GameObjects.Zone;
  /** The picture URL on `front` ('' when none is on show). */
  private frontUrl = '';
  /** Side of the picture inside its frame, and the frame's width (CSS px). */
  private innerSide = 100;
  private borderWidth = 5;
  private asleep = false;
  private egg = false;
  /** The scene's clock at the last tick, seconds: the shimmer's phase. */
  private time = 0;

  constructor(
    scene: Phaser.Scene,
    texts: TextFactory,
    private palette: Palette,
    onTap: () => void,
  ) {
    super(scene, 0, 0);
    this.frame = new Phaser.GameObjects.Graphics(scene);
    this.back = new Phaser.GameObjects.Image(scene, 0, 0, '__DEFAULT').setOrigin(0.5, 1).setVisible(false);
    this.front = new Phaser.GameObjects.Image(scene, 0, 0, '__DEFAULT').setOrigin(0.5, 1).setVisible(false);
    this.rim = new Phaser.GameObjects.Graphics(scene);
    this.skeleton = new Phaser.GameObjects.Graphics(scene).setVisible(false);
    this.paintingLabel = texts.make(0, 0, t('picture.painting'), { size: 12, color: toHex(palette.hint), bold: true }).setOrigin(0.5, 1).setVisible(false);
    this.hit = new Phaser.GameObjects.Zone(scene, 0, 0, 10, 10).setOrigin(0.5, 1);
    this.hit.setInteractive({ useHandCursor: true });
    this.hit.on(Phaser.Input.Events.POINTER_DOWN, onTap);
    this.add([this.frame, this.back, this.front, this.rim, this.skeleton, this.paintingLabel, this.hit]);
  }

  /** Side of the picture inside the frame, CSS px. */
  get inner(): number {
    return this.innerSide;
  }

  /** Width of the frame around the picture, CSS px. */
  get border(): number {
    return this.borderWidth;
  }

  /** Sizes the card to `side` CSS px, frame included. */
  resize(side: number): void {
    this.borderWidth = Math.max(4, Math.round(side * 0.028));
    this.innerSide = side - this.borderWidth * 2;
    this.front.setDisplaySize(this.innerSide, this.innerSide).setPosition(0, -this.borderWidth);
    this.back.setDisplaySize(this.innerSide, this.innerSide).setPosition(0, -this.borderWidth);
    this.hit.setSize(side, side);
    // Bottom-anchored: a label that wraps on a small card grows upwards, over the shape.
    this.paintingLabel.setPosition(0, -this.borderWidth - this.innerSide * 0.05);
    this.paintingLabel.setWordWrapWidth(this.innerSide * 0.94).setAlign('center');
    this.drawFrame();
  }

  applyPalette(palette: Palette): void {
    this.palette = palette;
    this.paintingLabel.setColor(toHex(palette.hint));
  }

  /** The pet's state the card shows: a night-blue mat asleep, an egg's hint in the skeleton. */
  setPet(asleep: boolean, egg: boolean): void {
    const redraw = asleep !== this.asleep;
    this.asleep = asleep;
    this.egg = egg;
    if (redraw) this.drawFrame();
  }

  setTint(tint: number): void {
    this.front.setTint(tint);
    this.back.setTint(tint);
  }

  /** The picture of `url` (texture `key`) on the card, the skeleton put away. */
  showImage(key: string, url: string, animate: boolean): void {
    if (url !== this.frontUrl || !this.front.visible) this.swapPicture(key, url, animate);
    this.setSkeleton(false, animate);
  }

  /** The skeleton over the card, saying "Painting your pet…" when `painting`. */
  showSkeleton(painting: boolean, animate: boolean): void {
    this.paintingLabel.setVisible(painting);
    this.setSkeleton(true, animate);
  }

  /** The shimmer moves on; `time` is the scene's clock in seconds. */
  tick(time: number): void {
    this.time = time;
    if (!this.skeleton.visible) return;
    this.drawSkeleton(time);
    if (this.paintingLabel.visible && !this.scene.tweens.isTweening(this.paintingLabel)) {
      this.paintingLabel.setAlpha(0.65 + 0.35 * Math.sin(time * 3));
    }
  }

  /** The card's frame (relative to its bottom centre): a soft shadow and a light mat. */
  drawFrame(): void {
    const inner = this.innerSide;
    const border = this.borderWidth;
    const palette = this.palette;
    const side = inner + border * 2;
    const radius = inner * PICTURE_RADIUS + border;
    const surface = palette.dark ? mix(palette.surface, { r: 255, g: 255, b: 255 }, 0.12) : { r: 255, g: 255, b: 255 };
    const mat = this.asleep ? mix(surface, { r: 0x6a, g: 0x74, b: 0xb0 }, 0.35) : surface;
    const g = this.frame;
    g.clear();
    g.fillStyle(0x3d2c29, palette.dark ? 0.35 : 0.1);
    g.fillRoundedRect(-side / 2 + 1, -side + 5, side, side, radius);
    g.fillStyle(toNumber(mat), 1);
    g.fillRoundedRect(-side / 2, -side, side, side, radius);
    const rim = this.rim;
    rim.clear();
    rim.lineStyle(1, palette.dark ? 0xffffff : 0x3d2c29, 0.08);
    rim.strokeRoundedRect(-inner / 2, -border - inner, inner, inner, inner * PICTURE_RADIUS);
  }

  /** Shows `key` on the card, cross-fading from the picture on show when there is one. */
  private swapPicture(key: string, url: string, animate: boolean): void {
    const tweens = this.scene.tweens;
    tweens.killTweensOf([this.front, this.back]);
    const hadPicture = this.frontUrl !== '' && this.front.visible;
    this.frontUrl = url;
    if (animate && hadPicture) {
      this.back.setTexture(this.front.texture.key).setDisplaySize(this.innerSide, this.innerSide).setVisible(true).setAlpha(1);
    } else {
      this.back.setVisible(false);
    }
    this.front.setTexture(key).setDisplaySize(this.innerSide, this.innerSide).setVisible(true);
    // Only a picture fades in over a picture; a skeleton on top fades out over it instead.
    if (!animate || !hadPicture) {
      this.front.setAlpha(1);
      return;
    }
    this.front.setAlpha(0);
    tweens.add({
      targets: this.front,
      alpha: 1,
      duration: FADE_MS,
      ease: 'Sine.easeInOut',
      onComplete: () => this.back.setVisible(false),
    });
  }

  /** The skeleton over the card; once it covers the pictures they are put away. */
  private setSkeleton(show: boolean, animate: boolean): void {
    const tweens = this.scene.tweens;
    const g = this.skeleton;
    const label = this.paintingLabel;
    if (show && g.visible && g.alpha >= 1 && !tweens.isTweening(g)) return;
    tweens.killTweensOf([g, label]);
    if (show) {
      if (!g.visible) g.setAlpha(0);
      g.setVisible(true);
      this.drawSkeleton(this.time);
      const putAway = (): void => {
        this.frontUrl = '';
        this.front.setVisible(false);
        this.back.setVisible(false);
      };
      if (!animate) {
        g.setAlpha(1);
        label.setAlpha(1);
        putAway();
        return;
      }
      label.setAlpha(0);
      tweens.add({ targets: [g, label], alpha: 1, duration: FADE_MS * 0.7, onComplete: putAway });
      return;
    }
    if (!g.visible) return;
    if (!animate) {
      g.setVisible(false);
      label.setVisible(false);
      return;
    }
    tweens.add({
      targets: [g, label],
      alpha: 0,
      duration: FADE_MS,
      onComplete: () => {
        g.setVisible(false);
        label.setVisible(false);
      },
    });
  }

  /**
   * The skeleton, redrawn every frame: a soft card with a pet-shaped hint and a light band
   * sweeping across it, clipped to the rounded corners row by row (no mask needed).
   */
  private drawSkeleton(time: number): void {
    const g = this.skeleton;
    const palette = this.palette;
    const size = this.innerSide;
    const left = -size / 2;
    const top = -this.borderWidth - size;
    const radius = size * PICTURE_RADIUS;
    const baseRgb = mix(palette.surface2, palette.stageFloor, 0.55);
    const base = this.asleep ? mix(baseRgb, { r: 0x4a, g: 0x55, b: 0x8c }, 0.3) : baseRgb;
    const shape = mix(base, palette.hint, palette.dark ? 0.18 : 0.16);
    g.clear();
    g.fillStyle(toNumber(base), 1);
    g.fillRoundedRect(left, top, size, size, radius);
    // A hint of what is coming: an egg, or a sitting pet.
    g.fillStyle(toNumber(shape), 1);
    const floor = top + size * 0.8;
    g.fillEllipse(0, floor, size * 0.56, size * 0.07);
    if (this.egg) {
      g.fillEllipse(0, floor - size * 0.27, size * 0.4, size * 0.52);
    } else {
      g.fillEllipse(0, floor - size * 0.17, size * 0.46, size * 0.36);
      g.fillCircle(0, floor - size * 0.46, size * 0.17);
    }
    // The shimmer: three nested bands, brighter in the middle, leaning as they sweep.
    const phase = (time % SHIMMER_S) / SHIMMER_S;
    const lean = 0.35;
    const travel = size * (1 + lean) + size * 0.9;
    const centre = left - size * 0.45 - size * lean + travel * phase;
    const alpha = palette.dark ? 0.06 : 0.15;
    for (let y = top; y < top + size; y += SHIMMER_ROW) {
      const row = Math.min(SHIMMER_ROW, top + size - y);
      const inset = cornerInset(y + row / 2 - top, size, radius);
      const rowLeft = left + inset;
      const rowRight = left + size - inset;
      const at = centre + (top + size - y) * lean;
      for (const width of [size * 0.5, size * 0.32, size * 0.16]) {
        const from = Math.max(rowLeft, at - width / 2);
        const to = Math.min(rowRight, at + width / 2);
        if (to <= from) continue;
        g.fillStyle(0xffffff, alpha);
        g.fillRect(from, y, to - from, row);
      }
    }
  }
}
