/**
 * The minigame flow on the client: notices a round starting in the room (mine or a friend's),
 * switches the stage to the game scene, turns taps on the field into `tap` messages with
 * increasing `seq`, keeps the score and countdown current on the server clock, shows the
 * results on `gameOver` and goes back home on Done. It also backs the read-only test handle
 * (`window.telepetsDebug`).
 */
import type { GameOverMessage, HomeRole, TapMessage, TapResultMessage } from '../../../../shared/protocol.js';
import { FIELD_HEIGHT, FIELD_WIDTH } from '../../../../shared/minigames.js';
import type { GameView, PetView } from '../../../../shared/room-state.js';
import type { HomeSnapshot } from '../../net/home-snapshot.js';
import type { ServerClock } from '../../net/server-clock.js';
import type { StageBus } from '../../stage/stage-bus.js';
import { hapticImpact, hapticNotice } from '../../telegram.js';
import { GameHud } from './game-hud.js';
import { GameResults } from './game-results.js';
import { extrapolate, fieldRect, fieldToStage, stageToField } from './field.js';

export type GameMode = 'none' | 'playing' | 'results';

export interface GameControllerDeps {
  bus: StageBus;
  clock: ServerClock;
  /** The element taps are read from (the stage). */
  stageHost: HTMLElement;
  /** The canvas (page coordinates of the field); the stage host until it exists. */
  canvas(): HTMLElement | null;
  /** The app enters or leaves game mode (scene, layout). */
  setMode(mode: GameMode): void;
  sendTap(message: TapMessage): boolean;
  sendQuit(gameId: string): boolean;
  petName(petId: string): string;
}

/** After a round ends without its gameOver reaching us (a reconnect), go home after this. */
const LOST_RESULTS_MS = 3000;

export interface DebugGame {
  id: string;
  status: 'running' | 'over';
  score: number;
  targets: Array<{ id: string; kind: string; x: number; y: number }>;
}

export class GameController {
  readonly hud: GameHud;
  readonly results: GameResults;
  private mode: GameMode = 'none';
  private role: HomeRole = 'owner';
  /** The game on show (playing or results). */
  private game: GameView | null = null;
  /** The room's latest game, shown or not (test handle). */
  private latest: GameView | null = null;
  private pets: PetView[] = [];
  /** Rounds already finished on this client: never re-entered. */
  private readonly finished = new Set<string>();
  private lastSeq = 0;
  /** Where each unanswered tap landed, by seq. */
  private readonly taps = new Map<number, { x: number; y: number }>();
  /** Best known score of the game on show (a tap result can be ahead of the state). */
  private score = 0;
  private combo = 0;
  /** Whether the round's pet had unforgiven care mistakes when the round began. */
  private hadMistakes = false;
  private lostTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: GameControllerDeps) {
    this.hud = new GameHud(() => this.quit());
    this.results = new GameResults(() => this.done());
    deps.stageHost.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    setInterval(() => this.tick(), 200);
  }

  get current(): GameMode {
    return this.mode;
  }

  /** A room snapshot arrived; `role` is mine in that room. */
  update(snapshot: HomeSnapshot, role: HomeRole): void {
    this.role = role;
    this.pets = snapshot.pets;
    const game = snapshot.game;
    this.latest = game;
    if (game) this.deps.clock.sample('sampledAt', game.sampledAt);
    if (game && game.status === 'running' && !this.finished.has(game.id)) {
      if (this.mode !== 'playing' || this.game?.id !== game.id) this.enter(game);
      this.game = game;
      this.takeScore(game.score, game.combo);
      this.emit();
      return;
    }
    if (this.mode === 'playing' && this.game) {
      // The round ended (or vanished): wait for its gameOver, but not forever.
      if (game && game.id === this.game.id) {
        this.game = game;
        this.takeScore(game.score, game.combo);
      }
      this.hud.setEnded();
      this.emit();
      if (this.lostTimer === undefined) {
        const id = this.game.id;
        this.lostTimer = setTimeout(() => {
          this.lostTimer = undefined;
          if (this.mode === 'playing' && this.game?.id === id) {
            this.finished.add(id);
            this.leave();
          }
        }, LOST_RESULTS_MS);
      }
    }
  }

  /** The room changed (another home, a fresh join): drop everything on show. */
  reset(): void {
    this.latest = null;
    if (this.mode !== 'none') this.leave();
  }

  onTapResult(result: TapResultMessage): void {
    const at = this.taps.get(result.seq);
    this.taps.delete(result.seq);
    if (!this.game || result.gameId !== this.game.id) return;
    if (result.outcome === 'hit') {
      this.takeScore(result.score, result.combo);
      hapticImpact('light');
    }
    this.deps.bus.emit('gameTapResult', { result, x: at?.x ?? 0.5, y: at?.y ?? FIELD_HEIGHT / 2 });
  }

  onGameOver(message: GameOverMessage): void {
    // A round we never showed (it ended as we arrived) has no results to show here.
    const shown = this.game?.id === message.gameId && this.mode === 'playing';
    this.finished.add(message.gameId);
    if (!shown) return;
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    this.takeScore(message.score, 0);
    this.hud.setEnded();
    this.mode = 'results';
    this.deps.setMode('results');
    this.results.show(message, this.deps.petName(message.petId), this.hadMistakes);
    hapticNotice(message.rewards.coins > 0 || message.rewards.meterPoints > 0 ? 'success' : 'warning');
    this.emit();
  }

  private enter(game: GameView): void {
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    this.game = game;
    this.mode = 'playing';
    this.lastSeq = 0;
    this.taps.clear();
    this.score = 0;
    this.combo = 0;
    const pet = this.pets.find((p) => p.id === game.petId);
    this.hadMistakes = pet ? pet.careMistakes > pet.careBonus : false;
    this.results.hide();
    this.hud.show(game.kind, this.role);
    this.deps.setMode('playing');
  }

  private leave(): void {
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    this.mode = 'none';
    this.game = null;
    this.taps.clear();
    this.results.hide();
    this.hud.hide();
    this.deps.bus.emit('game', { game: null, clockOffsetMs: this.deps.clock.offset, role: this.role, pet: null });
    this.deps.setMode('none');
  }

  private done(): void {
    if (this.game) this.finished.add(this.game.id);
    this.leave();
  }

  private quit(): void {
    const game = this.game;
    if (!game || this.role !== 'owner' || game.status !== 'running') return;
    this.deps.sendQuit(game.id);
  }

  private takeScore(score: number, combo: number): void {
    if (score >= this.score) {
      this.score = score;
      this.combo = combo;
    }
    if (this.game) this.hud.setScore(this.score, this.combo, this.game.kind);
  }

  private emit(): void {
    const game = this.game;
    const pet = game ? (this.pets.find((p) => p.id === game.petId) ?? null) : null;
    this.deps.bus.emit('game', { game, clockOffsetMs: this.deps.clock.offset, role: this.role, pet });
  }

  private tick(): void {
    const game = this.game;
    if (this.mode !== 'playing' || !game) return;
    this.hud.setTimeLeft(game.status === 'running' ? (game.endsAt - this.deps.clock.now()) / 1000 : 0);
  }

  /** The field's placement in page (client) coordinates. */
  private clientField(): { left: number; top: number; rect: ReturnType<typeof fieldRect> } | null {
    const el = this.deps.canvas() ?? this.deps.stageHost;
    const box = el.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return null;
    return { left: box.left, top: box.top, rect: fieldRect(box.width, box.height) };
  }

  private onPointerDown(event: PointerEvent): void {
    const game = this.game;
    if (this.mode !== 'playing' || !game || this.role !== 'owner' || game.status !== 'running') return;
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    const field = this.clientField();
    if (!field) return;
    const { x, y } = stageToField(field.rect, event.clientX - field.left, event.clientY - field.top);
    // Taps on the letterbox around the field are not taps on the field.
    if (x < 0 || x > FIELD_WIDTH || y < 0 || y > FIELD_HEIGHT) return;
    event.preventDefault();
    // Milliseconds into the round keep seq increasing even across a page reload mid-round.
    const seq = Math.max(this.lastSeq + 1, Math.floor(this.deps.clock.now() - game.startedAt));
    if (seq > 1_000_000) return;
    this.lastSeq = seq;
    if (!this.deps.sendTap({ gameId: game.id, seq, x, y })) return;
    this.taps.set(seq, { x, y });
    if (this.taps.size > 64) this.taps.delete(this.taps.keys().next().value as number);
    this.deps.bus.emit('gameTap', { x, y });
  }

  /** The test handle's view of the room's game: targets where they are now. */
  debugGame(): DebugGame | null {
    const game = this.latest ?? this.game;
    if (!game) return null;
    const dt = (this.deps.clock.now() - game.sampledAt) / 1000;
    const score = this.game?.id === game.id ? Math.max(this.score, game.score) : game.score;
    return {
      id: game.id,
      status: game.status,
      score,
      targets:
        game.status === 'running'
          ? game.targets.map((target) => {
              const now = extrapolate(target, dt);
              return { id: target.id, kind: target.kind, x: now.x, y: now.y };
            })
          : [],
    };
  }

  /** Field coordinates → page (client) pixel coordinates on the game canvas. */
  fieldToClient(x: number, y: number): { x: number; y: number } {
    const field = this.clientField();
    if (!field) return { x: NaN, y: NaN };
    const p = fieldToStage(field.rect, x, y);
    return { x: field.left + p.x, y: field.top + p.y };
  }
}
