/**
 * A minigame round, drawn over the whole stage and composed of Phaser containers
 * (features/games/scene/): the field (1 × FIELD_HEIGHT units, letterboxed), the pet cheering
 * in its corner, the round's targets (drawn through a camera that clips them to the field,
 * field-clip.ts) and the feedback for taps. This scene wires them to the
 * stage bus: it keeps the round and the server clock offset, and extrapolates the targets
 * every frame from the server's last sample. View only: taps are read by the app from the
 * DOM (see field.ts for the shared geometry) and their results come back on the bus.
 */
import { ensureFxTextures } from '../../art/fx-art.js';
import { t } from '../../i18n.js';
import type { GameView, PetView } from '../../../../shared/room-state.js';
import type { StageBus, StageEvents } from '../../stage/stage-bus.js';
import { StageScene } from '../../stage/StageScene.js';
import { fieldRect, type FieldRect } from './field.js';
import { CheeringPet } from './scene/cheering-pet.js';
import { Feedback } from './scene/feedback.js';
import { FieldBackdrop } from './scene/field-backdrop.js';
import { FieldClip } from './scene/field-clip.js';
import { ensureTargetTextures, Targets } from './scene/targets.js';

export class GameScene extends StageScene {
  static readonly KEY = 'game';

  private field!: FieldBackdrop;
  private cheering!: CheeringPet;
  private targets!: Targets;
  private feedback!: Feedback;
  private clip!: FieldClip;
  private round: GameView | null = null;
  private pet: PetView | null = null;
  private offsetMs = 0;
  private rect: FieldRect = fieldRect(1, 1);
  private elapsed = 0;

  constructor(bus: StageBus) {
    super(GameScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
    ensureFxTextures(this);
    ensureTargetTextures(this);
    this.round = null;
    this.field = this.add.existing(new FieldBackdrop(this, this.texts, this.palette)).setDepth(0);
    this.cheering = this.add.existing(new CheeringPet(this)).setDepth(2);
    this.targets = this.add.existing(new Targets(this)).setDepth(5);
    this.feedback = this.add.existing(new Feedback(this, this.texts, this.palette)).setDepth(8);
    this.clip = new FieldClip(this, this.dpr, { under: [this.field, this.cheering], targets: this.targets, over: this.feedback });
    this.listen('game', (event) => this.onGame(event));
    this.listen('gameTap', ({ x, y }) => this.feedback.ripple(x, y, 0xffffff, 0.9));
    this.listen('gameTapResult', (event) => this.onTapResult(event));
    this.layout();
    const last = this.bus.last('game');
    if (last) this.onGame(last);
  }

  protected layout(): void {
    this.rect = fieldRect(this.cssWidth, this.cssHeight);
    this.targets.setField(this.rect);
    this.clip.layout(this.rect);
    this.feedback.setField(this.rect, this.palette);
    this.drawField();
  }

  /** The field and the pet in its corner, for the round on show. */
  private drawField(): void {
    const kind = this.round?.kind ?? 'treats';
    this.field.draw(this.rect, kind, this.palette);
    this.cheering.show(this.pet, kind, this.rect);
  }

  private onGame({ game, clockOffsetMs, pet }: StageEvents['game']): void {
    const previous = this.round;
    const petChanged = this.cheering.differsFrom(pet);
    this.offsetMs = clockOffsetMs;
    this.pet = pet;
    this.round = game;
    if (!game) {
      this.targets.clear();
      return;
    }
    const newRound = previous?.id !== game.id;
    if (newRound || previous?.kind !== game.kind) {
      this.targets.clear();
      this.drawField();
      if (newRound && game.status === 'running') this.feedback.banner(t(`game.${game.kind}`));
    } else if (petChanged) {
      this.cheering.show(pet, game.kind, this.rect);
    }
    this.targets.sync(game, this.sinceSample(game));
  }

  /** Seconds since the round's sample, on the server's clock. */
  private sinceSample(game: GameView): number {
    return (Date.now() + this.offsetMs - game.sampledAt) / 1000;
  }

  override update(_time: number, deltaMs: number): void {
    this.elapsed += deltaMs / 1000;
    this.cheering.tick(this.elapsed);
    const game = this.round;
    if (game) this.targets.tick(game, this.sinceSample(game), deltaMs, this.elapsed);
  }

  private onTapResult({ result, x, y }: StageEvents['gameTapResult']): void {
    if (!this.round || result.gameId !== this.round.id) return;
    if (result.outcome === 'hit') {
      const at = this.targets.catch(result.targetId, x, y);
      this.feedback.floatText(at.x, at.y - at.r, `+${result.points}`, result.points > 1 ? 24 : 20);
      this.cheering.cheer();
    } else if (result.outcome === 'out_of_zone') {
      this.feedback.ripple(x, y, 0xf5a524, 1);
      this.feedback.floatText(x, y - 0.05, t('game.zone'), 13, '#b7791f');
    } else {
      this.feedback.ripple(x, y, 0x9b8377, 0.6);
    }
  }
}
