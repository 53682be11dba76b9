/**
 * Minigames: the round flow (GameController, from the start: a round may be running in the
 * room I join), the games menu (loaded on first open) and the minigame scene (loaded when a
 * round is first shown, or ahead of it when the menu opens; the home scene stays on the stage
 * until it has arrived).
 */
import type { MinigameKind } from '../../../../shared/minigames.js';
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import type { HomeConnection } from '../../net/home-connection.js';
import type { PetView } from '../../../../shared/room-state.js';
import type { ServerClock } from '../../net/server-clock.js';
import type { StageScene } from '../../stage/StageScene.js';
import { hapticImpact } from '../../telegram.js';
import { GameController, type GameMode } from './game-controller.js';
import type { GameScene } from './GameScene.js';
import type { GamesSheet } from './games-sheet.js';

/** GameScene.KEY without loading the scene's code. */
const GAME_SCENE_KEY = 'game' satisfies typeof GameScene.KEY;

export interface GamesCoordinatorDeps {
  clock: ServerClock;
  stageHost: HTMLElement;
  canvas(): HTMLElement | null;
  setMode(mode: GameMode): void;
  connection(): HomeConnection | null;
  /** The minigame scene's code has loaded: add it to the stage. */
  addScene(scene: StageScene): void;
  /** The scene is on the stage now: show it if a round is on show. */
  sceneReady(): void;
}

export class GamesCoordinator {
  readonly play: GameController;
  private readonly sheet: Lazy<GamesSheet>;
  private readonly scene: Lazy<true>;

  constructor(
    private readonly shell: AppShell,
    private readonly deps: GamesCoordinatorDeps,
  ) {
    this.play = new GameController({
      bus: shell.bus,
      clock: deps.clock,
      stageHost: deps.stageHost,
      canvas: () => deps.canvas(),
      setMode: (mode) => deps.setMode(mode),
      sendTap: (message) => deps.connection()?.sendTap(message) ?? false,
      sendQuit: (gameId) => deps.connection()?.sendGameQuit(gameId) ?? false,
      petName: (petId) => shell.snapshot()?.pets.find((p) => p.id === petId)?.name ?? '',
    });
    this.sheet = new Lazy(
      async () => {
        const { GamesSheet } = await import('./games-sheet.js');
        const sheet = new GamesSheet((kind) => this.start(kind));
        sheet.onClose(() => shell.updateBackButton());
        shell.mount(sheet.el);
        return sheet;
      },
      loadingSheetHooks(shell, t('games.title')),
    );
    this.scene = new Lazy(
      async () => {
        const { GameScene } = await import('./GameScene.js');
        deps.addScene(new GameScene(shell.bus));
        return true as const;
      },
      // No stand-in sheet: the home scene stays on the stage until the round's arrives.
      loadingSheetHooks(shell, null),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  close(): void {
    this.sheet.cancel();
    this.sheet.current?.close();
  }

  /**
   * The scene for a round on show: the minigame's once its code is there; until then the
   * home's, and the code is asked for (the stage switches when it arrives).
   */
  sceneKey<K extends string>(homeKey: K): K | typeof GAME_SCENE_KEY {
    if (this.scene.current) return GAME_SCENE_KEY;
    this.scene.open(() => this.deps.sceneReady());
    return homeKey;
  }

  /** The menu for the pet on show (mine, awake or not). */
  show(): void {
    const pet = this.shell.shownPet();
    if (!pet || this.shell.spectating()) return;
    // The round's scene comes next: fetch it while the player picks.
    this.scene.ensure().catch(() => undefined);
    this.sheet.open((sheet) => {
      this.shell.track({ type: 'screen_view', screen: 'games' });
      sheet.show(pet.name, pet.asleep ? t('games.asleep', { name: pet.name }) : null);
      this.shell.updateBackButton();
    });
  }

  /** The pet on show changed: a sleeping pet closes the games on the open menu. */
  petChanged(pet: PetView | null): void {
    const sheet = this.sheet.current;
    if (pet?.asleep && sheet?.open) sheet.setClosed(t('games.asleep', { name: pet.name }));
  }

  private start(kind: MinigameKind): void {
    const pet = this.shell.shownPet();
    if (!pet || this.shell.spectating()) return;
    if (pet.asleep) {
      this.shell.fail('PET_ASLEEP');
      return;
    }
    if (!this.deps.connection()?.sendGameStart(pet.id, kind)) {
      this.shell.fail('NETWORK');
      return;
    }
    this.shell.track({ type: 'minigame_started', game: kind });
    hapticImpact('medium');
    this.sheet.current?.close();
  }
}
