/**
 * What floats around the pet: flies over a filthy pet, a bubble with its most urgent need,
 * Z's drifting up while it sleeps, and the particles of its reactions (hearts, crumbs, stars,
 * bubbles, crosses, confetti). Under the meter card, so the numbers stay readable through
 * every celebration.
 */
import Phaser from 'phaser';
import { FX_KEY, NEED_KEY, type FxTexture } from '../../../art/fx-art.js';
import type { IconName } from '../../../art/icons.js';
import type { TextFactory } from '../../../stage/text-factory.js';
import type { FigurePlace } from './pet-figure.js';

type Burst = Phaser.Types.GameObjects.Particles.ParticleEmitterConfig;

/** Seconds between two Z's of a sleeping pet. */
const SNORE_EVERY_S = 1.3;

export class PetEffects extends Phaser.GameObjects.Container {
  private readonly flies: Phaser.GameObjects.Image[];
  private readonly needBubble: Phaser.GameObjects.Image;
  private readonly snores: Phaser.GameObjects.Container;
  private readonly particles: Phaser.GameObjects.Container;
  private need: IconName | null = null;
  private place: FigurePlace = { cx: 0, baseY: 0, floorY: 0, petSize: 200 };
  /** Where the need bubble floats, before its bob and the pet's hops. */
  private needAt = { x: 0, y: 0 };
  private nextZ = 0;

  constructor(
    scene: Phaser.Scene,
    private readonly texts: TextFactory,
  ) {
    super(scene, 0, 0);
    this.flies = [0, 1, 2].map(() => new Phaser.GameObjects.Image(scene, 0, 0, FX_KEY('dot')).setDisplaySize(9, 9).setVisible(false));
    this.needBubble = new Phaser.GameObjects.Image(scene, 0, 0, NEED_KEY('feed')).setVisible(false);
    this.snores = new Phaser.GameObjects.Container(scene);
    this.particles = new Phaser.GameObjects.Container(scene);
    this.add([...this.flies, this.needBubble, this.snores, this.particles]);
  }

  /**
   * Places the effects around the pet; `needAt` is where the need bubble floats (beside the
   * card's corner or over the pet's shoulder).
   */
  placeAround(place: FigurePlace, needAt: { x: number; y: number }): void {
    this.place = place;
    this.needAt = needAt;
    this.needBubble.setDisplaySize(place.petSize * 0.26, place.petSize * 0.26);
  }

  /** The need bubble's icon (null: none), faded in when it changes. */
  showNeed(need: IconName | null): void {
    if (need === this.need) return;
    this.need = need;
    if (!need) {
      this.needBubble.setVisible(false);
      return;
    }
    const size = this.place.petSize * 0.26;
    this.needBubble.setTexture(NEED_KEY(need)).setDisplaySize(size, size);
    this.needBubble.setVisible(true).setAlpha(0);
    this.scene.tweens.add({ targets: this.needBubble, alpha: 1, duration: 300 });
  }

  showFlies(visible: boolean): void {
    for (const fly of this.flies) fly.setVisible(visible);
  }

  /**
   * Moves the bubble and the flies with the pet (`jump`: its hop, CSS px) and lets a
   * sleeping pet snore; `time` is the scene's clock in seconds.
   */
  tick(time: number, jump: number, asleep: boolean): void {
    if (asleep && time >= this.nextZ) {
      this.nextZ = time + SNORE_EVERY_S;
      this.snore();
    }
    const { cx, floorY, petSize } = this.place;
    if (this.needBubble.visible) this.needBubble.setPosition(this.needAt.x, this.needAt.y + Math.sin(time * 2) * 4 - jump);
    if (this.flies[0]?.visible) {
      const headY = floorY - petSize * 0.55 - jump;
      this.flies.forEach((fly, i) => {
        const a = time * (2.2 + i * 0.7) + i * 2.1;
        fly.setPosition(cx + Math.cos(a) * petSize * (0.28 + i * 0.05), headY + Math.sin(a * 1.7) * petSize * 0.12);
      });
    }
  }

  /** `count` particles of `texture` bursting from the pet's centre line at height `y`. */
  burst(texture: FxTexture, count: number, config: Burst, y: number): void {
    this.explode(this.place.cx, y, texture, count, 2200, {
      lifespan: 1100,
      speed: { min: 60, max: 160 },
      angle: { min: 220, max: 320 },
      scale: { start: 0.45, end: 0.1 },
      alpha: { start: 1, end: 0 },
      gravityY: 120,
      ...config,
    });
  }

  /** Confetti raining over the whole stage, `width` CSS px wide. */
  confetti(width: number): void {
    this.explode(width / 2, -10, 'confetti', 70, 3000, {
      x: { min: -width / 2, max: width / 2 },
      lifespan: 2600,
      speedY: { min: 80, max: 200 },
      speedX: { min: -60, max: 60 },
      rotate: { min: 0, max: 360 },
      scale: { min: 0.25, max: 0.45 },
      gravityY: 90,
      tint: [0xff7a59, 0xffd43b, 0x4db7f5, 0x4cc38a, 0xff6fa3],
    });
  }

  private explode(x: number, y: number, texture: FxTexture, count: number, lifeMs: number, config: Burst): void {
    const emitter = new Phaser.GameObjects.Particles.ParticleEmitter(this.scene, x, y, FX_KEY(texture), { emitting: false, ...config });
    this.particles.add(emitter);
    emitter.explode(count);
    this.scene.time.delayedCall(lifeMs, () => emitter.destroy());
  }

  /** A "Z" drifting up from the sleeping pet's head. */
  private snore(): void {
    const { cx: centre, floorY, petSize } = this.place;
    const cx = centre + petSize * 0.2;
    const y = floorY - petSize * 0.62;
    const size = Math.round(14 + Math.random() * 8);
    const z = this.texts.make(cx, y, 'Z', { size, color: '#e8ecff', bold: true, stroke: { color: '#3a4378', width: 3 } }).setOrigin(0.5).setAlpha(0);
    this.snores.add(z);
    this.scene.tweens.add({
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
}
