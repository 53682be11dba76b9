/**
 * A minigame round, drawn over the whole stage: the field (1 × FIELD_HEIGHT units, letterboxed),
 * its targets extrapolated every frame from the server's last sample, the ball's kick zone,
 * the pet cheering in a corner (its painted picture as a round badge, or the procedural pet),
 * and feedback for taps. View only: taps are read by the app
 * from the DOM (see field.ts for the shared geometry) and their results come back on
 * the bus.
 */
import type Phaser from 'phaser';
import { BALL, FIELD_HEIGHT, FIELD_WIDTH } from '../../../../shared/minigames.js';
import { ensureFxTextures, FX_KEY } from '../../art/fx-art.js';
import { ensureItemTexture, type ArtName } from '../../art/item-art.js';
import { ensurePetTexture, PET_FEET_Y } from '../../art/pet-art.js';
import { loadedPicture, loadPicture, pictureTexture } from '../../art/picture-textures.js';
import { mix, parseHex, toHex, toNumber, type Rgb } from '../../../../shared/color.js';
import { extrapolate, fieldRect, fieldToStage, type FieldRect, type TargetNow } from './field.js';
import { t } from '../../i18n.js';
import type { GameSnapshot, PetSnapshot, TargetSnapshot } from '../../net/home-snapshot.js';
import type { StageBus, StageEvents } from '../../stage/stage-bus.js';
import { StageScene } from '../../stage/StageScene.js';

const TREAT_ART: readonly ArtName[] = ['kibble', 'fish', 'cake'];

/** Field units: a correction smaller than this glides, a bigger one (a kick) snaps. */
const GLIDE_LIMIT = 0.12;
/** Time constant of the glide, ms. */
const GLIDE_MS = 70;

interface Sprite {
  target: TargetSnapshot;
  image: Phaser.GameObjects.Image;
  /** Display correction (field units) decaying towards 0. */
  errX: number;
  errY: number;
  spin: number;
  /** Last drawn position (field units). */
  shown: TargetNow;
}

const rgb = (hex: string): Rgb => parseHex(hex) ?? { r: 0, g: 0, b: 0 };

function hashOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export class GameScene extends StageScene {
  static readonly KEY = 'game';

  private backdrop!: Phaser.GameObjects.Graphics;
  private zone!: Phaser.GameObjects.Graphics;
  private zoneLabel!: Phaser.GameObjects.Text;
  private petImage!: Phaser.GameObjects.Image;
  private readonly sprites = new Map<string, Sprite>();
  /** Targets hit by my taps: hidden at once, before the next patch removes them. */
  private readonly popped = new Set<string>();
  private round: GameSnapshot | null = null;
  private pet: PetSnapshot | null = null;
  private offsetMs = 0;
  private rect: FieldRect = fieldRect(1, 1);
  private readonly motion = { jump: 0 };
  /** The pet in the corner is its picture (a badge) rather than the procedural pet. */
  private badge = false;
  private elapsed = 0;
  private readonly scratch: TargetNow = { x: 0, y: 0, r: 0 };

  constructor(bus: StageBus) {
    super(GameScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
    ensureFxTextures(this);
    for (const name of [...TREAT_ART, 'ball', 'bubble'] as const) ensureItemTexture(this, name);
    this.sprites.clear();
    this.popped.clear();
    this.round = null;
    this.motion.jump = 0;
    this.backdrop = this.add.graphics().setDepth(0);
    this.zone = this.add.graphics().setDepth(1);
    this.zoneLabel = this.add.existing(this.texts.make(0, 0, t('game.zone'), { size: 12, color: '#7a5b00', bold: true })).setOrigin(0, 1).setDepth(1).setAlpha(0.8);
    this.petImage = this.add.image(0, 0, '__DEFAULT').setOrigin(0.5, PET_FEET_Y).setDepth(2).setVisible(false);
    this.listen('game', (event) => this.onGame(event));
    this.listen('gameTap', ({ x, y }) => this.ripple(x, y, 0xffffff, 0.9));
    this.listen('gameTapResult', (event) => this.onTapResult(event));
    this.layout();
    const last = this.bus.last('game');
    if (last) this.onGame(last);
  }

  protected layout(): void {
    this.rect = fieldRect(this.cssWidth, this.cssHeight);
    this.drawBackdrop();
    this.placePet();
  }

  private color(hex: string, amount = 0.72): number {
    // In a dark theme the field keeps its hue but sits back.
    const base = rgb(hex);
    return toNumber(this.palette.dark ? mix(this.palette.surface, base, 1 - amount) : base);
  }

  private drawBackdrop(): void {
    const g = this.backdrop;
    const z = this.zone;
    const { x, y, width, height, scale } = this.rect;
    const kind = this.round?.kind ?? 'treats';
    g.clear();
    z.clear();
    const radius = Math.min(22, width * 0.06);
    g.fillStyle(0x000000, this.palette.dark ? 0.3 : 0.08);
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
      g.fillStyle(toNumber(this.palette.stageFloor), 1);
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
      z.fillStyle(0xffd43b, this.palette.dark ? 0.22 : 0.3);
      z.fillRect(x, top, width, bottom - top);
      z.lineStyle(2, 0xf5a524, 0.9);
      const dash = 10;
      for (let px = x + 4; px < x + width - 4; px += dash * 2) {
        const end = Math.min(px + dash, x + width - 4);
        z.lineBetween(px, top, end, top);
        z.lineBetween(px, bottom, end, bottom);
      }
    }
    g.lineStyle(2, 0xffffff, this.palette.dark ? 0.08 : 0.7);
    g.strokeRoundedRect(x + 1, y + 1, width - 2, height - 2, radius);
    this.zoneLabel.setVisible(kind === 'ball');
    this.zoneLabel.setPosition(x + 10, y + BALL.zoneTop * scale - 3);
    this.zoneLabel.setColor(this.palette.dark ? '#ffd43b' : '#8a6400');
  }

  private placePet(): void {
    const pet = this.pet;
    if (!pet) {
      this.petImage.setVisible(false);
      return;
    }
    const ball = this.round?.kind === 'ball';
    // The pet's picture as a round badge once it is here; the procedural pet until then.
    const url = pet.imageUrl;
    const picture = url ? loadedPicture(url) : null;
    this.badge = picture !== null;
    if (picture) {
      this.petImage.setTexture(pictureTexture(this, url, picture, 'badge')).setOrigin(0.5, 1).setVisible(true);
      const size = this.rect.width * (ball ? 0.17 : 0.23);
      this.petImage.setDisplaySize(size, size);
    } else {
      const key = ensurePetTexture(this, { species: pet.species, stage: pet.stage, sick: pet.sick, mood: 'happy' });
      this.petImage.setTexture(key).setOrigin(0.5, PET_FEET_Y).setVisible(true);
      // Sits in a bottom corner; smaller in the ball game, whose kick zone is near the floor.
      const size = this.rect.width * (ball ? 0.24 : 0.34);
      this.petImage.setDisplaySize(size, size);
      if (url) {
        const petId = pet.id;
        loadPicture(url).then(
          () => {
            if (this.scene.isActive() && this.pet?.id === petId && this.pet.imageUrl === url) this.placePet();
          },
          () => undefined,
        );
      }
    }
    this.petImage.setTint(pet.sick ? 0xd4dccb : 0xffffff);
    this.petImage.setAlpha(ball ? 0.9 : 1);
  }

  private onGame({ game, clockOffsetMs, pet }: StageEvents['game']): void {
    const previous = this.round;
    const petChanged =
      pet?.id !== this.pet?.id ||
      pet?.stage !== this.pet?.stage ||
      pet?.species !== this.pet?.species ||
      pet?.imageUrl !== this.pet?.imageUrl ||
      pet?.sick !== this.pet?.sick;
    this.offsetMs = clockOffsetMs;
    this.pet = pet;
    this.round = game;
    if (!game) {
      for (const sprite of this.sprites.values()) sprite.image.destroy();
      this.sprites.clear();
      return;
    }
    const newRound = previous?.id !== game.id;
    if (newRound || previous?.kind !== game.kind) {
      this.popped.clear();
      for (const sprite of this.sprites.values()) sprite.image.destroy();
      this.sprites.clear();
      this.drawBackdrop();
      this.placePet();
      if (newRound && game.status === 'running') this.banner(t(`game.${game.kind}`));
    } else if (petChanged) {
      this.placePet();
    }
    this.syncSprites(game);
  }

  private serverNow(): number {
    return Date.now() + this.offsetMs;
  }

  private syncSprites(game: GameSnapshot): void {
    const dt = (this.serverNow() - game.sampledAt) / 1000;
    const seen = new Set<string>();
    const targets = game.status === 'running' ? game.targets : [];
    for (const target of targets) {
      seen.add(target.id);
      const now = extrapolate(target, dt, this.scratch);
      let sprite = this.sprites.get(target.id);
      if (!sprite) {
        const image = this.add.image(0, 0, this.textureFor(target)).setDepth(5);
        sprite = { target, image, errX: 0, errY: 0, spin: 0, shown: { ...now } };
        this.sprites.set(target.id, sprite);
        if (target.kind === 'bubble') {
          image.setAlpha(0);
          this.tweens.add({ targets: image, alpha: 1, duration: 180 });
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
      const inside = y - r < FIELD_HEIGHT && y + r > 0;
      // Caught by someone else's tap (what spectators see), or a bubble bursting on its own.
      if (!wasPopped && inside && game.status === 'running' && sprite.target.kind !== 'ball') {
        this.pop(x, y, r, sprite.target.kind === 'bubble' ? 0.5 : 1);
      }
      sprite.image.destroy();
    }
  }

  private textureFor(target: TargetSnapshot): string {
    if (target.kind === 'ball') return ensureItemTexture(this, 'ball');
    if (target.kind === 'bubble') return ensureItemTexture(this, 'bubble');
    return ensureItemTexture(this, TREAT_ART[hashOf(target.id) % TREAT_ART.length] ?? 'kibble');
  }

  override update(_time: number, deltaMs: number): void {
    this.elapsed += deltaMs / 1000;
    const game = this.round;
    const rect = this.rect;
    if (this.petImage.visible) {
      const hop = Math.max(0, Math.sin(this.elapsed * 2.2)) ** 6 * 4;
      const lift = this.badge ? 8 : 2;
      this.petImage.setPosition(rect.x + rect.width * (this.round?.kind === 'ball' ? 0.13 : 0.17), rect.y + rect.height - lift - hop - this.motion.jump);
    }
    if (!game) return;
    const dt = (this.serverNow() - game.sampledAt) / 1000;
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
        const wobble = Math.sin(this.elapsed * 3 + (hashOf(id) % 7)) * 0.25;
        image.setRotation(wobble).setDisplaySize(size * 1.25, size * 1.25);
      } else {
        const breathe = 1 + Math.sin(this.elapsed * 5 + (hashOf(id) % 5)) * 0.03;
        image.setDisplaySize(size * breathe, size / breathe);
      }
    }
  }

  private onTapResult({ result, x, y }: StageEvents['gameTapResult']): void {
    if (!this.round || result.gameId !== this.round.id) return;
    if (result.outcome === 'hit') {
      const sprite = result.targetId ? this.sprites.get(result.targetId) : undefined;
      const at = sprite ? sprite.shown : { x, y, r: 0.06 };
      if (result.targetId && sprite?.target.kind !== 'ball') this.popped.add(result.targetId);
      if (sprite?.target.kind !== 'ball') this.pop(at.x, at.y, at.r, 1);
      this.floatText(at.x, at.y - at.r, `+${result.points}`, result.points > 1 ? 24 : 20);
      this.tweens.add({ targets: this.motion, jump: 12, duration: 140, yoyo: true, ease: 'Quad.easeOut' });
    } else if (result.outcome === 'out_of_zone') {
      this.ripple(x, y, 0xf5a524, 1);
      this.floatText(x, y - 0.05, t('game.zone'), 13, '#b7791f');
    } else {
      this.ripple(x, y, 0x9b8377, 0.6);
    }
  }

  /** An expanding ring where a tap landed. */
  private ripple(fx: number, fy: number, color: number, alpha: number): void {
    const p = fieldToStage(this.rect, fx, fy);
    const ring = this.add.graphics().setDepth(8).setPosition(p.x, p.y);
    const state = { r: 6, a: alpha };
    this.tweens.add({
      targets: state,
      r: 26,
      a: 0,
      duration: 380,
      ease: 'Cubic.easeOut',
      onUpdate: () => {
        ring.clear();
        ring.lineStyle(3, color, state.a);
        ring.strokeCircle(0, 0, state.r);
      },
      onComplete: () => ring.destroy(),
    });
  }

  private pop(fx: number, fy: number, fr: number, strength: number): void {
    const p = fieldToStage(this.rect, fx, fy);
    const emitter = this.add.particles(p.x, p.y, FX_KEY(this.round?.kind === 'bubbles' ? 'bubble' : 'star'), {
      emitting: false,
      lifespan: 520,
      speed: { min: 60 * strength, max: 170 * strength },
      angle: { min: 0, max: 360 },
      scale: { start: 0.32 * Math.max(0.6, fr * 12), end: 0.05 },
      alpha: { start: 1, end: 0 },
      gravityY: 60,
    });
    emitter.setDepth(8);
    emitter.explode(Math.round(8 * strength));
    this.time.delayedCall(800, () => emitter.destroy());
  }

  private kickPuff(fx: number, fy: number): void {
    const p = fieldToStage(this.rect, fx, fy);
    const emitter = this.add.particles(p.x, p.y, FX_KEY('star'), {
      emitting: false,
      lifespan: 420,
      speed: { min: 50, max: 120 },
      angle: { min: 20, max: 160 },
      scale: { start: 0.3, end: 0.05 },
      alpha: { start: 1, end: 0 },
    });
    emitter.setDepth(8);
    emitter.explode(6);
    this.time.delayedCall(700, () => emitter.destroy());
  }

  private floatText(fx: number, fy: number, value: string, size: number, color = '#ff7a59'): void {
    const p = fieldToStage(this.rect, Math.min(Math.max(fx, 0.08), FIELD_WIDTH - 0.08), fy);
    const label = this.add.existing(this.texts.make(p.x, p.y, value, { size: size, color: color, bold: true })).setOrigin(0.5, 1).setDepth(9);
    label.setStroke(toHex(this.palette.surface), 4);
    this.tweens.add({
      targets: label,
      y: p.y - 42,
      alpha: { from: 1, to: 0 },
      duration: 750,
      ease: 'Cubic.easeOut',
      onComplete: () => label.destroy(),
    });
  }

  /** The round's name, big, for a moment at the start. */
  private banner(value: string): void {
    const { x, y, width, height } = this.rect;
    const label = this.add.existing(this.texts.make(x + width / 2, y + height * 0.4, value, { size: 26, color: toHex(this.palette.text), bold: true })).setOrigin(0.5).setDepth(9);
    label.setStroke(toHex(this.palette.surface), 6);
    label.setScale(0.6).setAlpha(0);
    this.tweens.add({ targets: label, scale: 1, alpha: 1, duration: 260, ease: 'Back.easeOut' });
    this.tweens.add({ targets: label, alpha: 0, delay: 1100, duration: 400, onComplete: () => label.destroy() });
  }
}
