/**
 * The pet cheering in the field's bottom corner: its painted picture as a round badge once
 * the picture is loaded, the procedural pet until then. It hops now and then, and higher on
 * every catch.
 */
import Phaser from 'phaser';
import type { MinigameKind } from '../../../../../shared/minigames.js';
import { ensurePetTexture, PET_FEET_Y } from '../../../art/pet-art.js';
import { loadedPicture, loadPicture, pictureTexture } from '../../../art/picture-textures.js';
import type { PetView } from '../../../../../shared/room-state.js';
import type { FieldRect } from '../field.js';

export class CheeringPet extends Phaser.GameObjects.Container {
  private readonly image: Phaser.GameObjects.Image;
  private pet: PetView | null = null;
  private kind: MinigameKind = 'treats';
  private rect: FieldRect | null = null;
  /** The pet is its picture (a badge) rather than the procedural pet. */
  private badge = false;
  private readonly motion = { jump: 0 };

  constructor(scene: Phaser.Scene) {
    super(scene, 0, 0);
    this.image = new Phaser.GameObjects.Image(scene, 0, 0, '__DEFAULT').setOrigin(0.5, PET_FEET_Y).setVisible(false);
    this.add(this.image);
  }

  /** True when `pet` looks different from the pet on show (another pet, stage, picture…). */
  differsFrom(pet: PetView | null): boolean {
    const shown = this.pet;
    return (
      pet?.id !== shown?.id ||
      pet?.stage !== shown?.stage ||
      pet?.species !== shown?.species ||
      pet?.imageUrl !== shown?.imageUrl ||
      pet?.sick !== shown?.sick
    );
  }

  /** Shows `pet` (null: none) in the corner of a `kind` field at `rect`. */
  show(pet: PetView | null, kind: MinigameKind, rect: FieldRect): void {
    this.pet = pet;
    this.kind = kind;
    this.rect = rect;
    const image = this.image;
    if (!pet) {
      image.setVisible(false);
      return;
    }
    const ball = kind === 'ball';
    // The pet's picture as a round badge once it is here; the procedural pet until then.
    const url = pet.imageUrl;
    const picture = url ? loadedPicture(url) : null;
    this.badge = picture !== null;
    if (picture) {
      image.setTexture(pictureTexture(this.scene, url, picture, 'badge')).setOrigin(0.5, 1).setVisible(true);
      const size = rect.width * (ball ? 0.17 : 0.23);
      image.setDisplaySize(size, size);
    } else {
      const key = ensurePetTexture(this.scene, { species: pet.species, stage: pet.stage, sick: pet.sick, mood: 'happy' });
      image.setTexture(key).setOrigin(0.5, PET_FEET_Y).setVisible(true);
      // Sits in a bottom corner; smaller in the ball game, whose kick zone is near the floor.
      const size = rect.width * (ball ? 0.24 : 0.34);
      image.setDisplaySize(size, size);
      if (url) {
        const petId = pet.id;
        loadPicture(url).then(
          () => {
            const now = this.pet;
            if (this.scene?.sys.isActive() && this.rect && now?.id === petId && now.imageUrl === url) this.show(now, this.kind, this.rect);
          },
          () => undefined,
        );
      }
    }
    image.setTint(pet.sick ? 0xd4dccb : 0xffffff);
    image.setAlpha(ball ? 0.9 : 1);
  }

  /** A hop for a catch. */
  cheer(): void {
    this.scene.tweens.add({ targets: this.motion, jump: 12, duration: 140, yoyo: true, ease: 'Quad.easeOut' });
  }

  /** Idle hops; `time` is the scene's clock in seconds. */
  tick(time: number): void {
    const rect = this.rect;
    if (!this.image.visible || !rect) return;
    const hop = Math.max(0, Math.sin(time * 2.2)) ** 6 * 4;
    const lift = this.badge ? 8 : 2;
    this.image.setPosition(rect.x + rect.width * (this.kind === 'ball' ? 0.13 : 0.17), rect.y + rect.height - lift - hop - this.motion.jump);
  }
}
