/** The adoption preview: the species being picked, happy and bouncing, on the home rug. */
import type Phaser from 'phaser';
import type { Species } from '../../../../shared/balance.js';
import { ensurePetTexture, PET_FEET_Y } from '../../art/pet-art.js';
import { paletteNumber } from '../../theme.js';
import type { StageBus } from '../../stage/stage-bus.js';
import { StageScene } from '../../stage/StageScene.js';

export class CreateScene extends StageScene {
  static readonly KEY = 'create';

  private backdrop!: Phaser.GameObjects.Graphics;
  private pet!: Phaser.GameObjects.Image;
  private species: Species = 'cat';
  private size = 200;
  private floorY = 0;
  private elapsed = 0;
  private readonly motion = { squash: 0 };

  constructor(bus: StageBus) {
    super(CreateScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
    this.motion.squash = 0;
    this.backdrop = this.add.graphics();
    this.species = this.bus.last('species')?.species ?? 'cat';
    this.pet = this.add.image(0, 0, this.textureFor(this.species)).setOrigin(0.5, PET_FEET_Y);
    this.listen('species', ({ species }) => {
      if (species === this.species) return;
      this.species = species;
      this.pet.setTexture(this.textureFor(species));
      this.pet.setDisplaySize(this.size, this.size);
      this.tweens.add({ targets: this.motion, squash: { from: 0.16, to: 0 }, duration: 600, ease: 'Elastic.easeOut' });
    });
    this.layout();
  }

  private textureFor(species: Species): string {
    return ensurePetTexture(this, { species, stage: 'baby', sick: false, mood: 'happy' });
  }

  protected layout(): void {
    const w = this.cssWidth;
    const h = this.cssHeight;
    this.size = Math.max(80, Math.min(h * 0.98, w * 0.8, 320));
    // Leave room for the rug below the feet.
    this.floorY = h - Math.max(18, this.size * 0.1);
    this.pet.setDisplaySize(this.size, this.size);
    const g = this.backdrop;
    g.clear();
    g.fillStyle(0xffffff, this.palette.dark ? 0.06 : 0.45);
    g.fillCircle(w / 2, this.floorY - this.size * 0.36, this.size * 0.46);
    g.fillStyle(paletteNumber(this.palette.stageFloor), 1);
    g.fillEllipse(w / 2, this.floorY + 4, this.size * 0.95, this.size * 0.16);
    g.fillStyle(0x000000, 0.12);
    g.fillEllipse(w / 2, this.floorY + 2, this.size * 0.5, this.size * 0.06);
  }

  override update(_time: number, deltaMs: number): void {
    this.elapsed += deltaMs / 1000;
    const breath = Math.sin(this.elapsed * 2.4) * 0.022;
    const hop = Math.max(0, Math.sin(this.elapsed * 2.2)) ** 6 * 10;
    const s = this.size / this.pet.width;
    this.pet.setPosition(this.cssWidth / 2, this.floorY - hop);
    this.pet.setScale(s * (1 + this.motion.squash * 0.6 - breath * 0.5), s * (1 - this.motion.squash + breath));
  }
}
