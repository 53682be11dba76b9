/**
 * Base of every scene: works in CSS pixels on any screen density. The canvas is backed at
 * device resolution (see stage.ts) and the main camera zooms by the device pixel ratio, so
 * scene code lays out in CSS pixels while shapes and text stay crisp.
 */
import Phaser from 'phaser';
import { currentPalette, type Palette } from '../theme.js';
import type { StageBus, StageEvents } from './stage-bus.js';
import { TextFactory } from './text-factory.js';

export abstract class StageScene extends Phaser.Scene {
  protected dpr = 1;
  protected palette: Palette = currentPalette();
  /** Makes this scene's text at device resolution (set up by `setupStage`). */
  protected texts: TextFactory = new TextFactory(this, 1);
  private unsubscribers: Array<() => void> = [];

  constructor(
    key: string,
    protected readonly bus: StageBus,
  ) {
    super({ key });
  }

  /** Stage width in CSS pixels. */
  protected get cssWidth(): number {
    return this.scale.width / this.dpr;
  }

  /** Stage height in CSS pixels. */
  protected get cssHeight(): number {
    return this.scale.height / this.dpr;
  }

  /** Call first in `create()`: sets up the camera and resize handling. */
  protected setupStage(): void {
    const dpr: unknown = this.game.registry.get('dpr');
    this.dpr = typeof dpr === 'number' && dpr > 0 ? dpr : 1;
    this.texts = new TextFactory(this, this.dpr);
    this.palette = this.bus.last('palette')?.palette ?? currentPalette();
    const camera = this.cameras.main;
    camera.setOrigin(0, 0);
    camera.setZoom(this.dpr);
    this.scale.on(Phaser.Scale.Events.RESIZE, this.handleResize);
    this.listen('palette', ({ palette }) => {
      this.palette = palette;
      this.onPalette();
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.scale.off(Phaser.Scale.Events.RESIZE, this.handleResize);
      for (const off of this.unsubscribers) off();
      this.unsubscribers = [];
    });
  }

  /** Subscribes to the bus for the lifetime of this scene run. */
  protected listen<K extends keyof StageEvents>(type: K, listener: (payload: StageEvents[K]) => void): void {
    this.unsubscribers.push(this.bus.on(type, listener));
  }

  private readonly handleResize = (): void => {
    this.cameras.main.setSize(this.scale.width, this.scale.height);
    this.layout();
  };

  /** Positions everything for the current size; called on create and on every resize. */
  protected abstract layout(): void;

  /** The theme changed; redraw what depends on it. */
  protected onPalette(): void {
    this.layout();
  }
}
