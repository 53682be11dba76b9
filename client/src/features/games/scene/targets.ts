/**
 * The round's targets (treats, bubbles, the ball) extrapolated every frame from the server's
 * last sample, gliding over small corrections and snapping on kicks, and the bursts when
 * they are caught (by my taps, or by someone else's, as spectators see them).
 */
import Phaser from 'phaser';
import type { MinigameKind } from '../../../../../shared/minigames.js';
import { FX_KEY } from '../../../art/fx-art.js';
import { ensureItemTexture, type ArtName } from '../../../art/item-art.js';
import type { GameView, TargetView } from '../../../../../shared/room-state.js';
import { burstsWhenGone, extrapolate, fieldRect, fieldToStage, type FieldRect, type TargetNow } from '../field.js';

const TREAT_ART: readonly ArtName[] = ['kibble', 'fish', 'cake'];

/** Field units: a correction smaller than this glides, a bigger one (a kick) snaps. */
const GLIDE_LIMIT = 0.12;
/** Time constant of the glide, ms. */
const GLIDE_MS = 70;

interface Sprite {
  target: TargetView;
  image: Phaser.GameObjects.Image;
  /** Display correction (field units) decaying towards 0. */
  errX: number;
  errY: number;
  spin: number;
  /** Last drawn position (field units). */
  shown: TargetNow;
}

function hashOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** Makes the textures of every target kind (once per game). */
export function ensureTargetTextures(scene: Phaser.Scene): void {
  for (const name of [...TREAT_ART, 'ball', 'bubble'] as const) ensureItemTexture(scene, name);
}

export class Targets extends Phaser.GameObjects.Container {
  private readonly sprites = new Map<string, Sprite>();
  /** Targets hit by my taps: hidden at once, before the next patch removes them. */
  private readonly popped = new Set<string>();
  private readonly images: Phaser.GameObjects.Container;
  private readonly bursts: Phaser.GameObjects.Container;
  private readonly scratch: TargetNow = { x: 0, y: 0, r: 0 };
  private rect: FieldRect = fieldRect(1, 1);
  private kind: MinigameKind = 'treats';

  constructor(scene: Phaser.Scene) {
    super(scene, 0, 0);
    this.images = new Phaser.GameObjects.Container(scene);
    this.bursts = new Phaser.GameObjects.Container(scene);
    this.add([this.images, this.bursts]);
  }

  setField(rect: FieldRect): void {
    this.rect = rect;
  }

  /** Removes every target (a new round, or none). */
  clear(): void {
    this.popped.clear();
    for (const sprite of this.sprites.values()) sprite.image.destroy();
    this.sprites.clear();
  }

  /** The round's targets now, `dt` seconds after its sample: new ones appear, gone ones burst. */
  sync(game: GameView, dt: number): void {
    this.kind = game.kind;
    const seen = new Set<string>();
    const targets = game.status === 'running' ? game.targets : [];
    for (const target of targets) {
      seen.add(target.id);
      const now = extrapolate(target, dt, this.scratch);
      let sprite = this.sprites.get(target.id);
      if (!sprite) {
        const image = new Phaser.GameObjects.Image(this.scene, 0, 0, this.textureFor(target));
        this.images.add(image);
        sprite = { target, image, errX: 0, errY: 0, spin: 0, shown: { ...now } };
        this.sprites.set(target.id, sprite);
        if (target.kind === 'bubble') {
          image.setAlpha(0);
          this.scene.tweens.add({ targets: image, alpha: 1, duration: 180 });
        }
      } else {
        const kicked = sprite.target.kind === 'ball' && sprite.target.vy > 0.2 && target.vy < -0.4;
        const errX = sprite.shown.x - now.x;
        const errY = sprite.shown.y - now.y;
        if (!kicked && Math.hypot(errX, errY) < GLIDE_LIMIT) {
          sprite.errX = errX;
          sprite.errY = errY;
        } else {
          sprite.errX = 0;
          sprite.errY = 0;
        }
        if (kicked) this.kickPuff(now.x, now.y + now.r);
        sprite.target = target;
      }
    }
    for (const [id, sprite] of this.sprites) {
      if (seen.has(id)) continue;
      this.sprites.delete(id);
      const wasPopped = this.popped.delete(id);
      const { x, y, r } = sprite.shown;
      if (!wasPopped && game.status === 'running' && burstsWhenGone(sprite.target.kind, sprite.shown)) {
        this.pop(x, y, r, sprite.target.kind === 'bubble' ? 0.5 : 1);
      }
      sprite.image.destroy();
    }
  }

  /** Moves every target to where it is now, `dt` seconds after the round's sample. */
  tick(game: GameView, dt: number, deltaMs: number, time: number): void {
    const rect = this.rect;
    const decay = Math.exp(-deltaMs / GLIDE_MS);
    for (const [id, sprite] of this.sprites) {
      const image = sprite.image;
      if (this.popped.has(id) || game.status !== 'running') {
        image.setVisible(false);
        continue;
      }
      const now = extrapolate(sprite.target, dt, this.scratch);
      sprite.errX *= decay;
      sprite.errY *= decay;
      const fx = now.x + sprite.errX;
      const fy = now.y + sprite.errY;
      sprite.shown.x = fx;
      sprite.shown.y = fy;
      sprite.shown.r = now.r;
      const p = fieldToStage(rect, fx, fy);
      const size = Math.max(4, now.r * 2 * rect.scale);
      image.setVisible(true).setPosition(p.x, p.y);
      if (sprite.target.kind === 'ball') {
        sprite.spin += sprite.target.vx * (deltaMs / 1000) * 9;
        image.setRotation(sprite.spin).setDisplaySize(size, size);
      } else if (sprite.target.kind === 'treat') {
        // Treats tumble gently as they fall.
        const wobble = Math.sin(time * 3 + (hashOf(id) % 7)) * 0.25;
        image.setRotation(wobble).setDisplaySize(size * 1.25, size * 1.25);
      } else {
        const breathe = 1 + Math.sin(time * 5 + (hashOf(id) % 5)) * 0.03;
        image.setDisplaySize(size * breathe, size / breathe);
      }
    }
  }

  /**
   * My tap caught `targetId` (at field (x, y) when it is gone already): a treat or a bubble
   * bursts and hides at once, the ball flies on. Returns where the catch shows.
   */
  catch(targetId: string | null, x: number, y: number): TargetNow {
    const sprite = targetId ? this.sprites.get(targetId) : undefined;
    const at = sprite ? { ...sprite.shown } : { x, y, r: 0.06 };
    if (sprite?.target.kind === 'ball') return at;
    if (targetId) this.popped.add(targetId);
    this.pop(at.x, at.y, at.r, 1);
    return at;
  }

  private textureFor(target: TargetView): string {
    if (target.kind === 'ball') return ensureItemTexture(this.scene, 'ball');
    if (target.kind === 'bubble') return ensureItemTexture(this.scene, 'bubble');
    return ensureItemTexture(this.scene, TREAT_ART[hashOf(target.id) % TREAT_ART.length] ?? 'kibble');
  }

  private pop(fx: number, fy: number, fr: number, strength: number): void {
    this.explode(fx, fy, this.kind === 'bubbles' ? 'bubble' : 'star', Math.round(8 * strength), 800, {
      lifespan: 520,
      speed: { min: 60 * strength, max: 170 * strength },
      angle: { min: 0, max: 360 },
      scale: { start: 0.32 * Math.max(0.6, fr * 12), end: 0.05 },
      alpha: { start: 1, end: 0 },
      gravityY: 60,
    });
  }

  private kickPuff(fx: number, fy: number): void {
    this.explode(fx, fy, 'star', 6, 700, {
      lifespan: 420,
      speed: { min: 50, max: 120 },
      angle: { min: 20, max: 160 },
      scale: { start: 0.3, end: 0.05 },
      alpha: { start: 1, end: 0 },
    });
  }

  private explode(fx: number, fy: number, texture: 'bubble' | 'star', count: number, lifeMs: number, config: Phaser.Types.GameObjects.Particles.ParticleEmitterConfig): void {
    const p = fieldToStage(this.rect, fx, fy);
    const emitter = new Phaser.GameObjects.Particles.ParticleEmitter(this.scene, p.x, p.y, FX_KEY(texture), { emitting: false, ...config });
    this.bursts.add(emitter);
    emitter.explode(count);
    this.scene.time.delayedCall(lifeMs, () => emitter.destroy());
  }
}
