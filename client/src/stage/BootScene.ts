/** The scene the game starts in while the DOM splash signs in: an empty, transparent stage. */
import type { StageBus } from './stage-bus.js';
import { StageScene } from './StageScene.js';

export class BootScene extends StageScene {
  static readonly KEY = 'boot';

  constructor(bus: StageBus) {
    super(BootScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
  }

  protected layout(): void {
    // Nothing on stage yet.
  }
}
