/**
 * The pet's home: the pet's painted picture in a framed card (or, as the fallback, the
 * procedural pet on a rug), breathing and bobbing, its condition shown on it (dirt and flies,
 * a thought bubble for its most urgent need, washed out when sick, a night room with floating
 * Z's when asleep, a golden glow when radiant), a shimmering skeleton while the picture is
 * painted, cross-fades between pictures, care reactions with particles, and the four meter
 * bars. View only: data comes from the bus.
 */
import Phaser from 'phaser';
import { CRITICAL_THRESHOLD, type AdultForm, type CareAction, type Meter } from '../../../../shared/balance.js';
import { ensurePetTexture, PET_FEET_Y, type PetLook, type PetMood } from '../../art/pet-art.js';
import { PICTURE_FEET_Y, PICTURE_FIGURE, PICTURE_RADIUS, pictureTexture } from '../../art/picture-textures.js';
import { ensureFxTextures, FX_KEY, NEED_KEY, type FxTexture } from '../../art/fx-art.js';
import { drawIcon, type IconName } from '../../art/icons.js';
import type { PetView } from '../../../../shared/room-state.js';
import { mix, toHex, toNumber } from '../../../../shared/color.js';
import { t } from '../../i18n.js';
import { paletteNumber } from '../../theme.js';
import { homeLayout, type HomeLayout } from './home-layout.js';
import { MeterBars } from './meter-bars.js';
import type { PictureView, StageBus, StageEvents } from '../../stage/stage-bus.js';
import { StageScene } from '../../stage/StageScene.js';

/** Dirt shows below this cleanliness; flies join at the critical threshold. */
const DIRTY_BELOW = 40;
/** A need bubble appears when a meter is this low. */
const NEED_BELOW = 30;

/** Dirt blobs, in pet-size units relative to the feet (x right, y up). */
const DIRT_SPOTS: ReadonlyArray<[number, number, number]> = [
  [-0.12, 0.12, 0.035],
  [0.1, 0.2, 0.028],
  [0.16, 0.08, 0.022],
  [-0.05, 0.3, 0.02],
  [-0.2, 0.42, 0.024],
  [0.14, 0.46, 0.018],
];

function moodOf(pet: PetView): PetMood {
  if (pet.mood <= 35 || pet.hunger <= CRITICAL_THRESHOLD || pet.health <= 35) return 'sad';
  if (pet.mood >= 70 && pet.hunger > 40 && pet.cleanliness > 40 && pet.health > 60) return 'happy';
  return 'neutral';
}

/** How far a rounded square's edge is inset at height `y` from its top (corner radius `r`). */
function cornerInset(y: number, size: number, r: number): number {
  const d = y < r ? r - y : y > size - r ? y - (size - r) : 0;
  return d > 0 ? r - Math.sqrt(Math.max(0, r * r - d * d)) : 0;
}

function needOf(pet: PetView): IconName | null {
  if (pet.asleep && !pet.sick) return null;
  if (pet.sick || pet.health <= CRITICAL_THRESHOLD) return 'heal';
  const needs: Array<[number, IconName]> = [
    [pet.hunger, 'feed'],
    [pet.mood, 'play'],
    [pet.cleanliness, 'clean'],
  ];
  needs.sort((a, b) => a[0] - b[0]);
  const worst = needs[0];
  return worst && worst[0] <= NEED_BELOW ? worst[1] : null;
}

const MOON_KEY = 'home:moon';
const NIGHT_TINT = 0x1a2350;

const FORM_COLORS: Record<Exclude<AdultForm, 'none'>, string> = {
  radiant: '#f5a524',
  ordinary: '#4db7f5',
  scruffy: '#a0785a',
};

type Mode = 'procedural' | 'card';

/** Cross-fade between two pictures, and between a picture and the skeleton, ms. */
const FADE_MS = 450;
/** One sweep of the skeleton's shimmer, seconds. */
const SHIMMER_S = 1.6;
/** Rows of the shimmer band, CSS px (the band is clipped to the rounded card row by row). */
const SHIMMER_ROW = 3;
/** The painted pet breathes and squashes less than the procedural one: it is a whole card. */
const CARD_MOTION = { breath: 0.3, bob: 0.7, squash: 0.55, wobble: 0.3 };

export class HomeScene extends StageScene {
  static readonly KEY = 'home';

  private backdrop!: Phaser.GameObjects.Graphics;
  private floorShadow!: Phaser.GameObjects.Ellipse;
  private dim!: Phaser.GameObjects.Rectangle;
  private petRoot!: Phaser.GameObjects.Container;
  private petImage!: Phaser.GameObjects.Image;
  /** The picture card: frame, two pictures for cross-fades, the skeleton and its label. */
  private card!: Phaser.GameObjects.Container;
  private cardFrame!: Phaser.GameObjects.Graphics;
  private picBack!: Phaser.GameObjects.Image;
  private picFront!: Phaser.GameObjects.Image;
  private cardRim!: Phaser.GameObjects.Graphics;
  private skeleton!: Phaser.GameObjects.Graphics;
  private paintingLabel!: Phaser.GameObjects.Text;
  private cardHit!: Phaser.GameObjects.Zone;
  private dirt!: Phaser.GameObjects.Graphics;
  private flies: Phaser.GameObjects.Image[] = [];
  private needBubble!: Phaser.GameObjects.Image;
  private emptyText!: Phaser.GameObjects.Text;
  private meters!: MeterBars;
  private moon!: Phaser.GameObjects.Image;
  private stars!: Phaser.GameObjects.Graphics;
  private nextZ = 0;

  private pet: PetView | null = null;
  private picture: PictureView | null = null;
  private mode: Mode = 'procedural';
  /** The picture URL on `picFront` ('' when none is on show). */
  private frontUrl = '';
  private lookKey = '';
  private need: IconName | null = null;
  private box: HomeLayout = homeLayout(1, 1);
  /** Side of the picture inside its frame, and the frame's width (CSS px). */
  private inner = 100;
  private border = 5;
  /** Where the pet's root sits: the card's bottom edge, or the procedural pet's feet. */
  private baseY = 0;
  /** The pet's feet and size, in either mode: effects and particles are placed from these. */
  private petSize = 200;
  private floorY = 0;
  private elapsed = 0;
  /** Offsets animated by reaction tweens and combined with the idle motion each frame. */
  private readonly motion = { jump: 0, squash: 0, shake: 0, spin: 0 };

  constructor(bus: StageBus) {
    super(HomeScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
    ensureFxTextures(this);
    this.elapsed = 0;
    this.lookKey = '';
    this.need = null;
    this.mode = 'procedural';
    this.frontUrl = '';
    this.picture = null;
    // Tweens die with the previous run of the scene; their half-way values must not survive.
    Object.assign(this.motion, { jump: 0, squash: 0, shake: 0, spin: 0 });

    this.backdrop = this.add.graphics().setDepth(0);
    this.floorShadow = this.add.ellipse(0, 0, 10, 10, 0x000000, 0.12).setDepth(0).setVisible(false);
    this.dim = this.add.rectangle(0, 0, 10, 10, 0x1b1420, 0).setOrigin(0, 0).setDepth(1);
    this.petRoot = this.add.container(0, 0).setDepth(5);
    this.petImage = this.add.image(0, 0, '__DEFAULT').setOrigin(0.5, PET_FEET_Y);
    this.petImage.setInteractive({ useHandCursor: true, pixelPerfect: false });
    this.petImage.on(Phaser.Input.Events.POINTER_DOWN, () => this.pat());

    this.cardFrame = this.add.graphics();
    this.picBack = this.add.image(0, 0, '__DEFAULT').setOrigin(0.5, 1).setVisible(false);
    this.picFront = this.add.image(0, 0, '__DEFAULT').setOrigin(0.5, 1).setVisible(false);
    this.cardRim = this.add.graphics();
    this.skeleton = this.add.graphics().setVisible(false);
    this.paintingLabel = this.text(0, 0, t('picture.painting'), 12, toHex(this.palette.hint), true).setOrigin(0.5, 1).setVisible(false);
    this.cardHit = this.add.zone(0, 0, 10, 10).setOrigin(0.5, 1);
    this.cardHit.setInteractive({ useHandCursor: true });
    this.cardHit.on(Phaser.Input.Events.POINTER_DOWN, () => this.pat());
    this.card = this.add
      .container(0, 0, [this.cardFrame, this.picBack, this.picFront, this.cardRim, this.skeleton, this.paintingLabel, this.cardHit])
      .setVisible(false);

    this.dirt = this.add.graphics();
    this.petRoot.add([this.petImage, this.card, this.dirt]);

    this.flies = [0, 1, 2].map(() => this.add.image(0, 0, FX_KEY('dot')).setDisplaySize(9, 9).setDepth(7).setVisible(false));
    this.needBubble = this.add.image(0, 0, NEED_KEY('feed')).setDepth(8).setVisible(false);
    if (!this.textures.exists(MOON_KEY)) {
      const canvas = document.createElement('canvas');
      canvas.width = 96;
      canvas.height = 96;
      const ctx = canvas.getContext('2d');
      if (ctx) drawIcon(ctx, 'moon', 0, 0, 96, '#ffe08a');
      this.textures.addCanvas(MOON_KEY, canvas);
    }
    this.stars = this.add.graphics().setDepth(2).setVisible(false);
    this.moon = this.add.image(0, 0, MOON_KEY).setDisplaySize(34, 34).setDepth(2).setVisible(false);
    this.nextZ = 0;
    this.emptyText = this.text(0, 0, t('home.noPets'), 16, toHex(this.palette.hint)).setOrigin(0.5).setDepth(6).setVisible(false);
    this.meters = new MeterBars(this, this.palette, this.dpr);

    this.listen('pet', ({ pet, loading }) => this.showPet(pet, loading === true));
    this.listen('picture', ({ picture }) => this.showPicture(picture));
    this.listen('care', (event) => this.react(event));
    this.listen('celebrate', ({ petId, adultForm }) => {
      if (petId === this.pet?.id) this.celebrate(adultForm);
    });
    this.listen('woke', ({ petId, delta }) => {
      if (petId !== this.pet?.id) return;
      for (const [meter, amount] of Object.entries(delta) as Array<[Meter, number]>) this.meters.floatDelta(meter, amount);
      this.jump(30);
      this.bounce(0.16);
      this.burst('star', 8, { angle: { min: 200, max: 340 } }, this.floorY - this.petSize * 0.7);
    });

    this.layout();
    const last = this.bus.last('pet');
    this.showPet(last?.pet ?? null, last?.loading === true);
    this.showPicture(this.bus.last('picture')?.picture ?? null);
  }

  protected override onPalette(): void {
    this.meters.applyPalette(this.palette);
    this.emptyText.setColor(toHex(this.palette.hint));
    this.paintingLabel.setColor(toHex(this.palette.hint));
    this.layout();
  }

  protected layout(): void {
    const w = this.cssWidth;
    const h = this.cssHeight;
    const box = homeLayout(w, h);
    this.box = box;
    this.meters.layout(box.margin, box.metersY, w - box.margin * 2);

    const side = box.picture.width;
    this.border = Math.max(4, Math.round(side * 0.028));
    this.inner = side - this.border * 2;
    this.petImage.setDisplaySize(box.petSize, box.petSize);
    this.picFront.setDisplaySize(this.inner, this.inner).setPosition(0, -this.border);
    this.picBack.setDisplaySize(this.inner, this.inner).setPosition(0, -this.border);
    this.cardHit.setSize(side, side);
    // Bottom-anchored: a label that wraps on a small card grows upwards, over the shape.
    this.paintingLabel.setPosition(0, -this.border - this.inner * 0.05);
    this.paintingLabel.setWordWrapWidth(this.inner * 0.94).setAlign('center');
    this.drawFrame();
    this.placeFigure();

    this.dim.setSize(w, h);
    this.moon.setPosition(w - 34, 30);
    this.drawStars();
    this.emptyText.setPosition(w / 2, box.floorY - (box.floorY - 8) * 0.45);
  }

  /** Where the pet stands in the current mode; everything placed from it follows. */
  private placeFigure(): void {
    const box = this.box;
    if (this.mode === 'card') {
      const bottom = box.picture.y + box.picture.height;
      this.baseY = bottom;
      this.floorY = bottom - this.border - this.inner * (1 - PICTURE_FEET_Y);
      this.petSize = this.inner * PICTURE_FIGURE;
    } else {
      this.baseY = box.floorY;
      this.floorY = box.floorY;
      this.petSize = box.petSize;
    }
    // Children stay put on screen whichever of them the root is anchored to.
    this.petImage.setY(box.floorY - this.baseY);
    this.card.setY(box.picture.y + box.picture.height - this.baseY);
    this.dirt.setY(this.floorY - this.baseY);
    this.needBubble.setDisplaySize(this.petSize * 0.26, this.petSize * 0.26);
    const cx = this.cssWidth / 2;
    this.floorShadow.setPosition(cx, this.baseY + 9).setSize(box.picture.width * 0.84, Math.max(8, box.picture.width * 0.07));
    this.floorShadow.setFillStyle(0x000000, this.palette.dark ? 0.3 : 0.12);
    this.drawBackdrop();
    this.drawDirt();
  }

  private drawStars(): void {
    const g = this.stars;
    g.clear();
    const w = this.cssWidth;
    const h = this.floorY * 0.6;
    g.fillStyle(0xfff6d6, 0.85);
    for (let i = 0; i < 12; i++) {
      const x = ((i * 0.618 + 0.07) % 1) * w;
      const y = ((i * 0.377 + 0.11) % 1) * h + 8;
      g.fillCircle(x, y, i % 3 === 0 ? 1.8 : 1.1);
    }
  }

  private drawBackdrop(): void {
    const g = this.backdrop;
    const w = this.cssWidth;
    const cx = w / 2;
    g.clear();
    if (this.mode === 'card') {
      const p = this.box.picture;
      const cy = p.y + p.height / 2;
      if (this.pet?.adultForm === 'radiant') {
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
      g.fillStyle(0xffffff, this.palette.dark ? 0.05 : 0.4);
      g.fillCircle(cx, cy, p.width * 0.7);
      return;
    }
    const size = this.petSize;
    if (this.pet?.adultForm === 'radiant') {
      // A radiant adult glows.
      for (const [r, a] of [
        [0.62, 0.08],
        [0.52, 0.12],
        [0.42, 0.16],
      ] as const) {
        g.fillStyle(0xffd43b, a);
        g.fillCircle(cx, this.floorY - size * 0.36, size * r);
      }
    }
    // A soft halo behind the pet and an oval rug under it.
    g.fillStyle(0xffffff, this.palette.dark ? 0.06 : 0.45);
    g.fillCircle(cx, this.floorY - size * 0.36, size * 0.46);
    g.fillStyle(0xffffff, this.palette.dark ? 0.04 : 0.35);
    g.fillCircle(cx, this.floorY - size * 0.36, size * 0.34);
    g.fillStyle(paletteNumber(this.palette.stageFloor), 1);
    g.fillEllipse(cx, this.floorY + 4, size * 0.95, size * 0.16);
    g.lineStyle(2, 0xffffff, this.palette.dark ? 0.08 : 0.4);
    g.strokeEllipse(cx, this.floorY + 4, size * 0.82, size * 0.11);
    g.fillStyle(0x000000, 0.12);
    g.fillEllipse(cx, this.floorY + 2, size * 0.5, size * 0.06);
  }

  /** The card's frame (relative to its bottom centre): a soft shadow and a light mat. */
  private drawFrame(): void {
    const side = this.inner + this.border * 2;
    const radius = this.inner * PICTURE_RADIUS + this.border;
    const asleep = this.pet?.asleep === true;
    const surface = this.palette.dark ? mix(this.palette.surface, { r: 255, g: 255, b: 255 }, 0.12) : { r: 255, g: 255, b: 255 };
    const frame = asleep ? mix(surface, { r: 0x6a, g: 0x74, b: 0xb0 }, 0.35) : surface;
    const g = this.cardFrame;
    g.clear();
    g.fillStyle(0x3d2c29, this.palette.dark ? 0.35 : 0.1);
    g.fillRoundedRect(-side / 2 + 1, -side + 5, side, side, radius);
    g.fillStyle(toNumber(frame), 1);
    g.fillRoundedRect(-side / 2, -side, side, side, radius);
    const rim = this.cardRim;
    rim.clear();
    rim.lineStyle(1, this.palette.dark ? 0xffffff : 0x3d2c29, this.palette.dark ? 0.08 : 0.08);
    rim.strokeRoundedRect(-this.inner / 2, -this.border - this.inner, this.inner, this.inner, this.inner * PICTURE_RADIUS);
  }

  /**
   * The skeleton, redrawn every frame: a soft card with a pet-shaped hint and a light band
   * sweeping across it, clipped to the rounded corners row by row (no mask needed).
   */
  private drawSkeleton(time: number): void {
    const g = this.skeleton;
    const size = this.inner;
    const left = -size / 2;
    const top = -this.border - size;
    const radius = size * PICTURE_RADIUS;
    const night = this.pet?.asleep === true;
    const baseRgb = mix(this.palette.surface2, this.palette.stageFloor, 0.55);
    const base = night ? mix(baseRgb, { r: 0x4a, g: 0x55, b: 0x8c }, 0.3) : baseRgb;
    const shape = mix(base, this.palette.hint, this.palette.dark ? 0.18 : 0.16);
    g.clear();
    g.fillStyle(toNumber(base), 1);
    g.fillRoundedRect(left, top, size, size, radius);
    // A hint of what is coming: an egg, or a sitting pet.
    g.fillStyle(toNumber(shape), 1);
    const cx = 0;
    const floor = top + size * 0.8;
    g.fillEllipse(cx, floor, size * 0.56, size * 0.07);
    if (this.pet?.stage === 'egg') {
      g.fillEllipse(cx, floor - size * 0.27, size * 0.4, size * 0.52);
    } else {
      g.fillEllipse(cx, floor - size * 0.17, size * 0.46, size * 0.36);
      g.fillCircle(cx, floor - size * 0.46, size * 0.17);
    }
    // The shimmer: three nested bands, brighter in the middle, leaning as they sweep.
    const phase = (time % SHIMMER_S) / SHIMMER_S;
    const lean = 0.35;
    const travel = size * (1 + lean) + size * 0.9;
    const centre = left - size * 0.45 - size * lean + travel * phase;
    const alpha = this.palette.dark ? 0.06 : 0.15;
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

  private drawDirt(): void {
    const g = this.dirt;
    g.clear();
    const pet = this.pet;
    if (!pet || pet.cleanliness >= DIRTY_BELOW) return;
    const amount = Math.min(1, (DIRTY_BELOW - pet.cleanliness) / DIRTY_BELOW + 0.25);
    const count = Math.ceil(DIRT_SPOTS.length * amount);
    const s = this.petSize;
    g.fillStyle(0x7a5230, 0.35 + 0.3 * amount);
    for (const [x, y, r] of DIRT_SPOTS.slice(0, count)) {
      g.fillCircle(x * s, -y * s, r * s);
      g.fillCircle(x * s + r * s * 0.8, -y * s + r * s * 0.4, r * s * 0.55);
    }
  }

  private showPet(pet: PetView | null, loading = false): void {
    const previous = this.pet;
    this.pet = pet;
    const hasPet = pet !== null;
    this.petRoot.setVisible(hasPet);
    this.floorShadow.setVisible(hasPet && this.mode === 'card');
    this.meters.setVisible(hasPet);
    this.emptyText.setVisible(!hasPet);
    this.emptyText.setText(loading ? t('app.loading') : t('home.noPets'));
    if (!pet) {
      this.needBubble.setVisible(false);
      for (const fly of this.flies) fly.setVisible(false);
      this.dim.setFillStyle(0x1b1420, 0);
      this.moon.setVisible(false);
      this.stars.setVisible(false);
      return;
    }
    const switched = previous?.id !== pet.id;
    this.meters.setValues(pet, switched);

    if (previous?.adultForm !== pet.adultForm || switched) this.drawBackdrop();
    if (previous?.asleep !== pet.asleep || switched) this.drawFrame();
    this.refreshLook(!switched);
    // Sick pets look washed out; so does the whole room a little. At night the room is dark blue.
    const tint = pet.asleep ? (pet.sick ? 0xb8c4c8 : 0xc9cde8) : pet.sick ? 0xd4dccb : 0xffffff;
    for (const image of [this.petImage, this.picFront, this.picBack]) image.setTint(tint);
    if (pet.asleep) this.dim.setFillStyle(NIGHT_TINT, 0.38);
    else this.dim.setFillStyle(0x1b1420, pet.sick ? 0.12 : 0);
    this.moon.setVisible(pet.asleep);
    this.stars.setVisible(pet.asleep);

    const need = needOf(pet);
    if (need !== this.need) {
      this.need = need;
      if (need) {
        this.needBubble.setTexture(NEED_KEY(need)).setDisplaySize(this.petSize * 0.26, this.petSize * 0.26);
        this.needBubble.setVisible(true).setAlpha(0);
        this.tweens.add({ targets: this.needBubble, alpha: 1, duration: 300 });
      } else {
        this.needBubble.setVisible(false);
      }
    }
    const buggy = pet.cleanliness <= CRITICAL_THRESHOLD;
    for (const fly of this.flies) fly.setVisible(buggy);
    this.drawDirt();
  }

  /** The procedural pet's texture for its look (only drawn while it is the one on show). */
  private refreshLook(react: boolean): void {
    const pet = this.pet;
    if (!pet || this.mode !== 'procedural') return;
    const look: PetLook = { species: pet.species, stage: pet.stage, sick: pet.sick, mood: moodOf(pet), asleep: pet.asleep };
    const key = ensurePetTexture(this, look);
    if (key === this.lookKey) return;
    const first = this.lookKey === '';
    this.lookKey = key;
    this.petImage.setTexture(key);
    this.petImage.setDisplaySize(this.box.petSize, this.box.petSize);
    if (!first && react) this.bounce(0.12);
  }

  /** The picture, the skeleton or the procedural pet, with a cross-fade between them. */
  private showPicture(view: PictureView | null): void {
    const previous = this.picture;
    this.picture = view;
    // Another pet (or the first picture of this run): no cross-fade from what was there.
    const animate = previous !== null && view !== null && previous.petId === view.petId;
    const mode: Mode = view && view.show !== 'procedural' ? 'card' : 'procedural';
    this.setMode(mode, animate);
    if (!view || mode === 'procedural') return;
    if (view.show === 'image' && view.image) {
      const key = pictureTexture(this, view.url, view.image, 'card');
      if (view.url !== this.frontUrl || !this.picFront.visible) this.swapPicture(key, view.url, animate);
      this.setSkeleton(false, animate);
    } else {
      this.paintingLabel.setVisible(view.painting);
      this.setSkeleton(true, animate);
    }
  }

  private setMode(mode: Mode, animate: boolean): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.placeFigure();
    this.refreshLook(false);
    this.floorShadow.setVisible(this.pet !== null && mode === 'card');
    const incoming = mode === 'card' ? this.card : this.petImage;
    const outgoing = mode === 'card' ? this.petImage : this.card;
    this.tweens.killTweensOf([this.card, this.petImage]);
    const cardWasShown = this.card.visible;
    incoming.setVisible(true);
    if (!animate) {
      incoming.setAlpha(1);
      outgoing.setVisible(false);
      return;
    }
    // The opaque card is on top: it fades in over the pet, or out to uncover it.
    if (mode === 'card') {
      if (!cardWasShown) this.card.setAlpha(0);
      this.tweens.add({ targets: this.card, alpha: 1, duration: FADE_MS, onComplete: () => this.petImage.setVisible(false) });
    } else {
      this.petImage.setAlpha(1);
      this.tweens.add({ targets: this.card, alpha: 0, duration: FADE_MS, onComplete: () => this.card.setVisible(false) });
    }
  }

  /** Shows `key` on the card, cross-fading from the picture on show when there is one. */
  private swapPicture(key: string, url: string, animate: boolean): void {
    this.tweens.killTweensOf([this.picFront, this.picBack]);
    const hadPicture = this.frontUrl !== '' && this.picFront.visible;
    this.frontUrl = url;
    if (animate && hadPicture) {
      this.picBack.setTexture(this.picFront.texture.key).setDisplaySize(this.inner, this.inner).setVisible(true).setAlpha(1);
    } else {
      this.picBack.setVisible(false);
    }
    this.picFront.setTexture(key).setDisplaySize(this.inner, this.inner).setVisible(true);
    // Only a picture fades in over a picture; a skeleton on top fades out over it instead.
    if (!animate || !hadPicture) {
      this.picFront.setAlpha(1);
      return;
    }
    this.picFront.setAlpha(0);
    this.tweens.add({
      targets: this.picFront,
      alpha: 1,
      duration: FADE_MS,
      ease: 'Sine.easeInOut',
      onComplete: () => this.picBack.setVisible(false),
    });
  }

  /** The skeleton over the card; once it covers the pictures they are put away. */
  private setSkeleton(show: boolean, animate: boolean): void {
    const g = this.skeleton;
    const label = this.paintingLabel;
    if (show && g.visible && g.alpha >= 1 && !this.tweens.isTweening(g)) return;
    this.tweens.killTweensOf([g, label]);
    if (show) {
      if (!g.visible) g.setAlpha(0);
      g.setVisible(true);
      this.drawSkeleton(this.elapsed);
      const putAway = (): void => {
        this.frontUrl = '';
        this.picFront.setVisible(false);
        this.picBack.setVisible(false);
      };
      if (!animate) {
        g.setAlpha(1);
        label.setAlpha(1);
        putAway();
        return;
      }
      label.setAlpha(0);
      this.tweens.add({ targets: [g, label], alpha: 1, duration: FADE_MS * 0.7, onComplete: putAway });
      return;
    }
    if (!g.visible) return;
    if (!animate) {
      g.setVisible(false);
      label.setVisible(false);
      return;
    }
    this.tweens.add({
      targets: [g, label],
      alpha: 0,
      duration: FADE_MS,
      onComplete: () => {
        g.setVisible(false);
        label.setVisible(false);
      },
    });
  }

  override update(_time: number, deltaMs: number): void {
    this.elapsed += deltaMs / 1000;
    this.meters.update(deltaMs);
    const pet = this.pet;
    if (!pet) return;
    const t = this.elapsed;
    const cx = this.cssWidth / 2;
    const egg = pet.stage === 'egg';
    const card = this.mode === 'card';
    const k = card ? CARD_MOTION : { breath: 1, bob: 1, squash: 1, wobble: 1 };
    // Slower, shallower breathing when unwell, slower still asleep.
    const pace = pet.asleep ? 0.45 : pet.sick || pet.health < 35 ? 0.6 : 1;
    if (pet.asleep && t >= this.nextZ) {
      this.nextZ = t + 1.3;
      this.snore();
    }
    const breath = egg ? 0 : Math.sin(t * 2.4 * pace) * 0.022 * k.breath;
    const bob = egg ? 0 : Math.sin(t * 1.2 * pace) * 3 * k.bob;
    // Eggs wobble in short bursts, as if something inside is stirring.
    const wobble = egg ? Math.sin(t * 14) * Math.max(0, Math.sin(t * 0.9)) ** 8 * 0.08 * k.wobble : 0;
    const m = this.motion;
    const squash = m.squash * k.squash;
    this.petRoot.setPosition(cx + m.shake, this.baseY - m.jump + bob);
    this.petRoot.setScale(1 + squash * 0.6 - breath * 0.5, 1 - squash + breath);
    this.petRoot.setRotation(wobble + m.spin * (card ? 0.5 : 1));
    if (card) {
      // The card's shadow on the floor shrinks as it hops.
      const lift = Math.max(0, m.jump - bob);
      this.floorShadow.setScale(Math.max(0.5, 1 - lift / 140)).setAlpha(Math.max(0.3, 1 - lift / 120));
      if (this.skeleton.visible) {
        this.drawSkeleton(t);
        if (this.paintingLabel.visible && !this.tweens.isTweening(this.paintingLabel)) {
          this.paintingLabel.setAlpha(0.65 + 0.35 * Math.sin(t * 3));
        }
      }
    }

    if (this.needBubble.visible) {
      const p = this.box.picture;
      // Beside the card's top corner (clear of the picture button), or over the pet's shoulder.
      const bx = card ? p.x + p.width + Math.min(6, (this.cssWidth - p.x - p.width) * 0.2) - this.petSize * 0.05 : cx + this.petSize * 0.34;
      const by = card ? p.y + p.height * 0.38 : this.floorY - this.petSize * 0.78;
      this.needBubble.setPosition(bx, by + Math.sin(t * 2) * 4 - m.jump);
    }
    if (this.flies[0]?.visible) {
      const headY = this.floorY - this.petSize * 0.55 - m.jump;
      this.flies.forEach((fly, i) => {
        const a = t * (2.2 + i * 0.7) + i * 2.1;
        fly.setPosition(cx + Math.cos(a) * this.petSize * (0.28 + i * 0.05), headY + Math.sin(a * 1.7) * this.petSize * 0.12);
      });
    }
  }

  private bounce(amount: number): void {
    this.tweens.add({
      targets: this.motion,
      squash: { from: amount, to: 0 },
      duration: 520,
      ease: 'Elastic.easeOut',
    });
  }

  private jump(height: number, times = 1): void {
    this.tweens.add({
      targets: this.motion,
      jump: height,
      duration: 220,
      ease: 'Quad.easeOut',
      yoyo: true,
      repeat: times - 1,
    });
  }

  private burst(texture: FxTexture, count: number, config: Phaser.Types.GameObjects.Particles.ParticleEmitterConfig, y: number): void {
    const emitter = this.add.particles(this.cssWidth / 2, y, FX_KEY(texture), {
      emitting: false,
      lifespan: 1100,
      speed: { min: 60, max: 160 },
      angle: { min: 220, max: 320 },
      scale: { start: 0.45, end: 0.1 },
      alpha: { start: 1, end: 0 },
      gravityY: 120,
      ...config,
    });
    emitter.setDepth(9);
    emitter.explode(count);
    this.time.delayedCall(2200, () => emitter.destroy());
  }

  /** A tap on the pet: a happy hop and a heart. Local only, no server round trip. */
  private pat(): void {
    if (!this.pet) return;
    this.jump(14);
    this.burst('heart', 2, { speed: { min: 40, max: 80 }, gravityY: -30 }, this.floorY - this.petSize * 0.7);
  }

  private react(event: StageEvents['care']): void {
    const pet = this.pet;
    if (!pet || event.petId !== pet.id) return;
    for (const [meter, amount] of Object.entries(event.delta) as Array<[Meter, number]>) {
      this.meters.floatDelta(meter, amount);
    }
    const mouthY = this.floorY - this.petSize * 0.4;
    const headY = this.floorY - this.petSize * 0.6;
    const actions: Record<CareAction, () => void> = {
      feed: () => {
        this.tweens.add({ targets: this.motion, squash: 0.08, duration: 110, yoyo: true, repeat: 2 });
        this.burst('crumb', 10, { scale: { start: 0.3, end: 0.1 }, speed: { min: 40, max: 120 }, gravityY: 380 }, mouthY);
        this.burst('heart', 3, { gravityY: -40, speed: { min: 30, max: 90 } }, headY);
      },
      play: () => {
        this.jump(34, 2);
        this.tweens.add({ targets: this.motion, spin: { from: -0.12, to: 0 }, duration: 700, ease: 'Elastic.easeOut' });
        this.burst('star', 12, { angle: { min: 200, max: 340 }, speed: { min: 90, max: 220 } }, headY);
      },
      clean: () => {
        this.bounce(0.08);
        this.burst('bubble', 16, {
          x: { min: -this.petSize * 0.3, max: this.petSize * 0.3 },
          angle: { min: 250, max: 290 },
          speed: { min: 30, max: 90 },
          gravityY: -60,
          lifespan: 1600,
          scale: { start: 0.25, end: 0.6 },
        }, this.floorY - this.petSize * 0.25);
      },
      heal: () => {
        this.bounce(0.1);
        this.burst('cross', 10, { gravityY: -50, speed: { min: 40, max: 120 }, scale: { start: 0.35, end: 0.1 } }, headY);
      },
    };
    actions[event.action]();
    if (event.overfed) {
      this.tweens.add({ targets: this.motion, shake: { from: -6, to: 6 }, duration: 70, yoyo: true, repeat: 5, onComplete: () => (this.motion.shake = 0) });
    }
  }

  /** A "Z" drifting up from the sleeping pet's head. */
  private snore(): void {
    const cx = this.cssWidth / 2 + this.petSize * 0.2;
    const y = this.floorY - this.petSize * 0.62;
    const size = Math.round(14 + Math.random() * 8);
    const z = this.text(cx, y, 'Z', size, '#e8ecff', true).setOrigin(0.5).setDepth(8).setAlpha(0);
    z.setStroke('#3a4378', 3);
    this.tweens.add({
      targets: z,
      x: cx + 26 + Math.random() * 14,
      y: y - 60,
      alpha: { from: 0.95, to: 0 },
      angle: { from: -8, to: 12 },
      duration: 2400,
      ease: 'Sine.easeOut',
      onComplete: () => z.destroy(),
    });
  }

  private celebrate(adultForm?: AdultForm): void {
    if (adultForm && adultForm !== 'none') this.revealForm(adultForm);
    this.jump(60);
    this.bounce(0.2);
    const w = this.cssWidth;
    const colors = [0xff7a59, 0xffd43b, 0x4db7f5, 0x4cc38a, 0xff6fa3];
    const confetti = this.add.particles(w / 2, -10, FX_KEY('confetti'), {
      emitting: false,
      x: { min: -w / 2, max: w / 2 },
      lifespan: 2600,
      speedY: { min: 80, max: 200 },
      speedX: { min: -60, max: 60 },
      rotate: { min: 0, max: 360 },
      scale: { min: 0.25, max: 0.45 },
      gravityY: 90,
      tint: colors,
    });
    // Under the meter card: the numbers stay readable through the celebration.
    confetti.setDepth(9);
    confetti.explode(70);
    this.time.delayedCall(3000, () => confetti.destroy());
    this.burst('star', 18, { angle: { min: 0, max: 360 }, speed: { min: 120, max: 260 }, gravityY: 0 }, this.floorY - this.petSize * 0.45);
  }

  /** The adult form, big over the pet for a few seconds. */
  private revealForm(form: Exclude<AdultForm, 'none'>): void {
    const label = this.text(this.cssWidth / 2, this.floorY - this.petSize * 0.95, t(`form.${form}`), 30, FORM_COLORS[form], true)
      .setOrigin(0.5)
      .setDepth(13)
      .setScale(0.4)
      .setAlpha(0);
    label.setStroke('#ffffff', 6);
    this.tweens.add({ targets: label, scale: 1, alpha: 1, duration: 420, ease: 'Back.easeOut' });
    this.tweens.add({ targets: label, alpha: 0, y: label.y - 20, delay: 3000, duration: 600, onComplete: () => label.destroy() });
  }
}
