/**
 * Owns the Phaser game: creates it inside a DOM element, keeps its backing store at device
 * resolution as the element resizes, and switches between the scenes.
 */
import Phaser from 'phaser';
import { BootScene } from './BootScene.js';
import { CreateScene } from '../features/create/CreateScene.js';
import type { GameScene } from '../features/games/GameScene.js';
import { HomeScene } from '../features/home/HomeScene.js';
import type { StageBus } from './stage-bus.js';
import type { StageScene } from './StageScene.js';

export type StageSceneKey = typeof BootScene.KEY | typeof CreateScene.KEY | typeof HomeScene.KEY | typeof GameScene.KEY;

/** The minigame scene is added later (its code loads on first use: see addScene). */
const KEYS: readonly StageSceneKey[] = [BootScene.KEY, CreateScene.KEY, HomeScene.KEY, 'game'];

export class Stage {
  readonly game: Phaser.Game;
  private readonly dpr: number;
  private wanted: StageSceneKey = BootScene.KEY;

  constructor(
    private readonly parent: HTMLElement,
    bus: StageBus,
  ) {
    // Beyond 2x the extra pixels cost fill rate on phones without a visible gain.
    this.dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    const { width, height } = this.cssSize();
    this.game = new Phaser.Game({
      type: Phaser.AUTO,
      parent,
      transparent: true,
      banner: false,
      audio: { noAudio: true },
      scale: {
        mode: Phaser.Scale.NONE,
        width: width * this.dpr,
        height: height * this.dpr,
        zoom: 1 / this.dpr,
      },
      render: { antialias: true, roundPixels: false },
      callbacks: { preBoot: (game) => game.registry.set('dpr', this.dpr) },
      scene: [new BootScene(bus), new CreateScene(bus), new HomeScene(bus)],
    });
    new ResizeObserver(() => this.resize()).observe(parent);
  }

  private cssSize(): { width: number; height: number } {
    const rect = this.parent.getBoundingClientRect();
    return { width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
  }

  private resize(): void {
    const { width, height } = this.cssSize();
    const scale = this.game.scale;
    if (Math.round(scale.width) === width * this.dpr && Math.round(scale.height) === height * this.dpr) return;
    scale.resize(width * this.dpr, height * this.dpr);
    scale.setZoom(1 / this.dpr);
  }

  /** The canvas element (for mapping page coordinates), once the game has created it. */
  get canvas(): HTMLCanvasElement | null {
    return this.game.canvas ?? null;
  }

  /** Adds a scene whose code loaded late (not started; `show` starts it). */
  addScene(scene: StageScene): void {
    this.game.scene.add(scene.sys.settings.key, scene, false);
  }

  /** Runs `key` and stops the other scenes (safe to call before the game has booted). */
  show(key: StageSceneKey): void {
    this.wanted = key;
    const apply = (): void => {
      const manager = this.game.scene;
      for (const other of KEYS) {
        if (other !== this.wanted && manager.isActive(other)) manager.stop(other);
      }
      if (!manager.isActive(this.wanted) && manager.getScene(this.wanted)) manager.start(this.wanted);
    };
    if (this.game.isBooted) apply();
    else this.game.events.once(Phaser.Core.Events.READY, apply);
  }
}
