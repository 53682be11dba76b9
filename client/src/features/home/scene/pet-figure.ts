/**
 * The pet on the home stage: the procedural pet standing on the rug, or its painted picture
 * card (with a cross-fade between the two), the dirt on it, its idle motion (breathing,
 * bobbing, an egg's wobble) and the motions of its reactions (hops, squashes, a spin, a
 * shake). The container's origin is where the figure is anchored: the card's bottom edge, or
 * the procedural pet's feet.
 */
import Phaser from 'phaser';
import { ensurePetTexture, PET_FEET_Y, type PetMood } from '../../../art/pet-art.js';
import { PICTURE_FEET_Y, PICTURE_FIGURE } from '../../../art/picture-textures.js';
import { CRITICAL_THRESHOLD } from '../../../../../shared/balance.js';
import type { PetView } from '../../../../../shared/room-state.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import type { Palette } from '../../../theme.js';
import type { HomeLayout } from '../home-layout.js';
import { FADE_MS, PictureCard } from './picture-card.js';

export type FigureMode = 'procedural' | 'card';

/** Where the pet stands in either mode, CSS px: effects and particles are placed from it. */
export interface FigurePlace {
  /** The stage's horizontal centre. */
  cx: number;
  /** The figure's anchor: the card's bottom edge, or the procedural pet's feet. */
  baseY: number;
  /** The pet's feet. */
  floorY: number;
  /** The pet's height. */
  petSize: number;
}

/** Dirt shows below this cleanliness. */
const DIRTY_BELOW = 40;

/** Dirt blobs, in pet-size units relative to the feet (x right, y up). */
const DIRT_SPOTS: ReadonlyArray<[number, number, number]> = [
  [-0.12, 0.12, 0.035],
  [0.1, 0.2, 0.028],
  [0.16, 0.08, 0.022],
  [-0.05, 0.3, 0.02],
  [-0.2, 0.42, 0.024],
  [0.14, 0.46, 0.018],
];

/** The painted pet breathes and squashes less than the procedural one: it is a whole card. */
const CARD_MOTION = { breath: 0.3, bob: 0.7, squash: 0.55, wobble: 0.3 };
const PROCEDURAL_MOTION = { breath: 1, bob: 1, squash: 1, wobble: 1 };

function moodOf(pet: PetView): PetMood {
  if (pet.mood <= 35 || pet.hunger <= CRITICAL_THRESHOLD || pet.health <= 35) return 'sad';
  if (pet.mood >= 70 && pet.hunger > 40 && pet.cleanliness > 40 && pet.health > 60) return 'happy';
  return 'neutral';
}

export class PetFigure extends Phaser.GameObjects.Container {
  readonly card: PictureCard;
  private readonly petImage: Phaser.GameObjects.Image;
  private readonly dirt: Phaser.GameObjects.Graphics;
  private pet: PetView | null = null;
  private mode: FigureMode = 'procedural';
  private lookKey = '';
  private box: HomeLayout;
  private cx = 0;
  private placed: FigurePlace = { cx: 0, baseY: 0, floorY: 0, petSize: 200 };
  /** Offsets animated by reaction tweens and combined with the idle motion each frame. */
  private readonly motion = { jump: 0, squash: 0, shake: 0, spin: 0 };
  private bob = 0;

  constructor(scene: Phaser.Scene, texts: TextFactory, palette: Palette, box: HomeLayout, onPat: () => void) {
    super(scene, 0, 0);
    this.box = box;
    this.petImage = new Phaser.GameObjects.Image(scene, 0, 0, '__DEFAULT').setOrigin(0.5, PET_FEET_Y);
    this.petImage.setInteractive({ useHandCursor: true, pixelPerfect: false });
    this.petImage.on(Phaser.Input.Events.POINTER_DOWN, onPat);
    this.card = new PictureCard(scene, texts, palette, onPat).setVisible(false);
    this.dirt = new Phaser.GameObjects.Graphics(scene);
    this.add([this.petImage, this.card, this.dirt]);
  }

  /** What is on show: the procedural pet or the picture card. */
  get shows(): FigureMode {
    return this.mode;
  }

  /** Where the pet stands now. */
  get place(): FigurePlace {
    return this.placed;
  }

  /** How high a reaction has hopped the pet, CSS px. */
  get jumpHeight(): number {
    return this.motion.jump;
  }

  /** How far the pet is off the floor (a hop less the idle bob): the card's shadow shrinks. */
  get lift(): number {
    return Math.max(0, this.motion.jump - this.bob);
  }

  /** Lays the figure out for the stage's geometry (`width` CSS px wide). */
  resize(box: HomeLayout, width: number): void {
    this.box = box;
    this.cx = width / 2;
    this.card.resize(box.picture.width);
    this.petImage.setDisplaySize(box.petSize, box.petSize);
    this.placeFigure();
  }

  /** Switches between the procedural pet and the card; false when it was on show already. */
  setMode(mode: FigureMode, animate: boolean): boolean {
    if (mode === this.mode) return false;
    this.mode = mode;
    this.placeFigure();
    this.refreshLook(false);
    const tweens = this.scene.tweens;
    const incoming = mode === 'card' ? this.card : this.petImage;
    const outgoing = mode === 'card' ? this.petImage : this.card;
    tweens.killTweensOf([this.card, this.petImage]);
    const cardWasShown = this.card.visible;
    incoming.setVisible(true);
    if (!animate) {
      incoming.setAlpha(1);
      outgoing.setVisible(false);
      return true;
    }
    // The opaque card is on top: it fades in over the pet, or out to uncover it.
    if (mode === 'card') {
      if (!cardWasShown) this.card.setAlpha(0);
      tweens.add({ targets: this.card, alpha: 1, duration: FADE_MS, onComplete: () => this.petImage.setVisible(false) });
    } else {
      this.petImage.setAlpha(1);
      tweens.add({ targets: this.card, alpha: 0, duration: FADE_MS, onComplete: () => this.card.setVisible(false) });
    }
    return true;
  }

  /** The pet on show (null: none); `react` plays a little bounce when its look changes. */
  setPet(pet: PetView | null, react: boolean): void {
    this.pet = pet;
    this.setVisible(pet !== null);
    if (!pet) return;
    this.card.setPet(pet.asleep, pet.stage === 'egg');
    this.refreshLook(react);
    // Sick pets look washed out; asleep, bluish.
    const tint = pet.asleep ? (pet.sick ? 0xb8c4c8 : 0xc9cde8) : pet.sick ? 0xd4dccb : 0xffffff;
    this.petImage.setTint(tint);
    this.card.setTint(tint);
    this.drawDirt();
  }

  /** Idle motion combined with the reactions; `time` is the scene's clock in seconds. */
  tick(time: number): void {
    const pet = this.pet;
    if (!pet) return;
    const egg = pet.stage === 'egg';
    const card = this.mode === 'card';
    const k = card ? CARD_MOTION : PROCEDURAL_MOTION;
    // Slower, shallower breathing when unwell, slower still asleep.
    const pace = pet.asleep ? 0.45 : pet.sick || pet.health < 35 ? 0.6 : 1;
    const breath = egg ? 0 : Math.sin(time * 2.4 * pace) * 0.022 * k.breath;
    this.bob = egg ? 0 : Math.sin(time * 1.2 * pace) * 3 * k.bob;
    // Eggs wobble in short bursts, as if something inside is stirring.
    const wobble = egg ? Math.sin(time * 14) * Math.max(0, Math.sin(time * 0.9)) ** 8 * 0.08 * k.wobble : 0;
    const m = this.motion;
    const squash = m.squash * k.squash;
    this.setPosition(this.cx + m.shake, this.placed.baseY - m.jump + this.bob);
    this.setScale(1 + squash * 0.6 - breath * 0.5, 1 - squash + breath);
    this.setRotation(wobble + m.spin * (card ? 0.5 : 1));
    if (card) this.card.tick(time);
  }

  /** A squash that springs back. */
  bounce(amount: number): void {
    this.scene.tweens.add({
      targets: this.motion,
      squash: { from: amount, to: 0 },
      duration: 520,
      ease: 'Elastic.easeOut',
    });
  }

  /** Hops `height` CSS px, `times` times. */
  jump(height: number, times = 1): void {
    this.scene.tweens.add({
      targets: this.motion,
      jump: height,
      duration: 220,
      ease: 'Quad.easeOut',
      yoyo: true,
      repeat: times - 1,
    });
  }

  /** Three quick squashes: munching. */
  munch(): void {
    this.scene.tweens.add({ targets: this.motion, squash: 0.08, duration: 110, yoyo: true, repeat: 2 });
  }

  /** A twirl that springs back. */
  twirl(): void {
    this.scene.tweens.add({ targets: this.motion, spin: { from: -0.12, to: 0 }, duration: 700, ease: 'Elastic.easeOut' });
  }

  /** A side-to-side shake: too much. */
  shake(): void {
    this.scene.tweens.add({
      targets: this.motion,
      shake: { from: -6, to: 6 },
      duration: 70,
      yoyo: true,
      repeat: 5,
      onComplete: () => (this.motion.shake = 0),
    });
  }

  /** Where the pet stands in the current mode; everything placed from it follows. */
  private placeFigure(): void {
    const box = this.box;
    const bottom = box.picture.y + box.picture.height;
    const card = this.card;
    this.placed =
      this.mode === 'card'
        ? { cx: this.cx, baseY: bottom, floorY: bottom - card.border - card.inner * (1 - PICTURE_FEET_Y), petSize: card.inner * PICTURE_FIGURE }
        : { cx: this.cx, baseY: box.floorY, floorY: box.floorY, petSize: box.petSize };
    const { baseY, floorY } = this.placed;
    // Children stay put on screen whichever of them the root is anchored to.
    this.petImage.setY(box.floorY - baseY);
    this.card.setY(bottom - baseY);
    this.dirt.setY(floorY - baseY);
    this.drawDirt();
  }

  /** The procedural pet's texture for its look (only drawn while it is the one on show). */
  private refreshLook(react: boolean): void {
    const pet = this.pet;
    if (!pet || this.mode !== 'procedural') return;
    const key = ensurePetTexture(this.scene, { species: pet.species, stage: pet.stage, sick: pet.sick, mood: moodOf(pet), asleep: pet.asleep });
    if (key === this.lookKey) return;
    const first = this.lookKey === '';
    this.lookKey = key;
    this.petImage.setTexture(key);
    this.petImage.setDisplaySize(this.box.petSize, this.box.petSize);
    if (!first && react) this.bounce(0.12);
  }

  private drawDirt(): void {
    const g = this.dirt;
    g.clear();
    const pet = this.pet;
    if (!pet || pet.cleanliness >= DIRTY_BELOW) return;
    const amount = Math.min(1, (DIRTY_BELOW - pet.cleanliness) / DIRTY_BELOW + 0.25);
    const count = Math.ceil(DIRT_SPOTS.length * amount);
    const s = this.placed.petSize;
    g.fillStyle(0x7a5230, 0.35 + 0.3 * amount);
    for (const [x, y, r] of DIRT_SPOTS.slice(0, count)) {
      g.fillCircle(x * s, -y * s, r * s);
      g.fillCircle(x * s + r * s * 0.8, -y * s + r * s * 0.4, r * s * 0.55);
    }
  }
}
