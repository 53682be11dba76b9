/**
 * Keeps the targets inside the field: they are drawn by a camera of their own whose viewport
 * is the field, so a treat falling in from above or out at the bottom (and the burst of one
 * caught at the edge) never shows outside it. The draw order across cameras stays that of
 * the layers: the main camera draws the field and the pet, the field camera the targets over
 * them, and a camera over the whole stage the feedback over everything.
 */
import type Phaser from 'phaser';
import type { FieldRect } from '../field.js';

interface FieldLayers {
  /** Under the targets, drawn by the main camera. */
  under: Phaser.GameObjects.GameObject[];
  /** Clipped to the field. */
  targets: Phaser.GameObjects.GameObject;
  /** Over the targets, across the whole stage. */
  over: Phaser.GameObjects.GameObject;
}

/**
 * The field camera's viewport (device pixels, snapped to whole pixels so the clip is sharp)
 * and scroll (CSS px): its top-left corner shows the stage point it covers, so with the
 * camera zoomed by `dpr` a target lands exactly where the main camera would draw it.
 */
export function fieldViewport(rect: FieldRect, dpr: number): { x: number; y: number; width: number; height: number; scrollX: number; scrollY: number } {
  const left = Math.round(rect.x * dpr);
  const top = Math.round(rect.y * dpr);
  const right = Math.round((rect.x + rect.width) * dpr);
  const bottom = Math.round((rect.y + rect.height) * dpr);
  return { x: left, y: top, width: right - left, height: bottom - top, scrollX: left / dpr, scrollY: top / dpr };
}

export class FieldClip {
  private readonly field: Phaser.Cameras.Scene2D.Camera;
  private readonly overlay: Phaser.Cameras.Scene2D.Camera;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly dpr: number,
    layers: FieldLayers,
  ) {
    const cameras = scene.cameras;
    // Cameras draw in the order they were added: main, then field, then overlay.
    this.field = cameras.add(0, 0, 1, 1).setOrigin(0, 0).setZoom(dpr);
    this.overlay = cameras.add(0, 0, 1, 1).setOrigin(0, 0).setZoom(dpr);
    cameras.main.ignore([layers.targets, layers.over]);
    this.field.ignore([...layers.under, layers.over]);
    this.overlay.ignore([...layers.under, layers.targets]);
  }

  /** The field camera's viewport follows the field (`rect`, CSS px). */
  layout(rect: FieldRect): void {
    const view = fieldViewport(rect, this.dpr);
    this.field.setViewport(view.x, view.y, view.width, view.height).setScroll(view.scrollX, view.scrollY);
    this.overlay.setViewport(0, 0, this.scene.scale.width, this.scene.scale.height);
  }
}
