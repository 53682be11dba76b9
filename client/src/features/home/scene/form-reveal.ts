/**
 * The adult form revealed when the pet grows up: its name, big and in its colour, over
 * everything (the meter card included) for a few seconds.
 */
import Phaser from 'phaser';
import type { AdultForm } from '../../../../../shared/balance.js';
import { t } from '../../../i18n.js';
import type { TextFactory } from '../../../stage/text-factory.js';

const FORM_COLORS: Record<Exclude<AdultForm, 'none'>, string> = {
  radiant: '#f5a524',
  ordinary: '#4db7f5',
  scruffy: '#a0785a',
};

export class FormReveal extends Phaser.GameObjects.Container {
  constructor(
    scene: Phaser.Scene,
    private readonly texts: TextFactory,
  ) {
    super(scene, 0, 0);
  }

  /** Pops the form's name in at (x, y), then lets it drift up and fade. */
  reveal(form: Exclude<AdultForm, 'none'>, x: number, y: number): void {
    const label = this.texts
      .make(x, y, t(`form.${form}`), { size: 30, color: FORM_COLORS[form], bold: true, stroke: { color: '#ffffff', width: 6 } })
      .setOrigin(0.5)
      .setScale(0.4)
      .setAlpha(0);
    this.add(label);
    const tweens = this.scene.tweens;
    tweens.add({ targets: label, scale: 1, alpha: 1, duration: 420, ease: 'Back.easeOut' });
    tweens.add({ targets: label, alpha: 0, y: label.y - 20, delay: 3000, duration: 600, onComplete: () => label.destroy() });
  }
}
