/**
 * The pet's home, composed of Phaser containers (features/home/scene/): the room behind the
 * pet, the pet figure (its painted picture card, or the procedural pet on a rug), the
 * effects around it, the meter card and the adult form's reveal. This scene wires them to
 * the stage bus: it keeps the pet and picture on show, lays the containers out, picks the
 * pet's most urgent need and choreographs the reactions to care, growth and waking up.
 * View only: data comes from the bus.
 */
import { CRITICAL_THRESHOLD, type AdultForm, type Meter } from '../../../../shared/balance.js';
import { ensureFxTextures } from '../../art/fx-art.js';
import type { IconName } from '../../art/icons.js';
import { pictureTexture } from '../../art/picture-textures.js';
import type { PetView } from '../../../../shared/room-state.js';
import type { PictureView, StageBus, StageEvents } from '../../stage/stage-bus.js';
import { StageScene } from '../../stage/StageScene.js';
import { homeLayout, type HomeLayout } from './home-layout.js';
import { HomeBackdrop } from './scene/backdrop.js';
import { PetEffects } from './scene/effects.js';
import { FormReveal } from './scene/form-reveal.js';
import { MeterBars } from './scene/meter-bars.js';
import { PetFigure, type FigureMode } from './scene/pet-figure.js';

/** A need bubble appears when a meter is this low. */
const NEED_BELOW = 30;

function needOf(pet: PetView): IconName | null {
  if (pet.asleep && !pet.sick) return null;
  if (pet.sick || pet.health <= CRITICAL_THRESHOLD) return 'heal';
  const needs: Array<[number, IconName]> = [
    [pet.hunger, 'feed'],
    [pet.mood, 'play'],
    [pet.cleanliness, 'clean'],
  ];
  needs.sort((a, b) => a[0] - b[0]);
  const worst = needs[0];
  return worst && worst[0] <= NEED_BELOW ? worst[1] : null;
}

export class HomeScene extends StageScene {
  static readonly KEY = 'home';

  private backdrop!: HomeBackdrop;
  private figure!: PetFigure;
  private effects!: PetEffects;
  private meters!: MeterBars;
  private formReveal!: FormReveal;

  private pet: PetView | null = null;
  private picture: PictureView | null = null;
  private box: HomeLayout = homeLayout(1, 1);
  private elapsed = 0;

  constructor(bus: StageBus) {
    super(HomeScene.KEY, bus);
  }

  create(): void {
    this.setupStage();
    ensureFxTextures(this);
    this.elapsed = 0;
    this.pet = null;
    this.picture = null;
    this.box = homeLayout(this.cssWidth, this.cssHeight);

    const pat = (): void => this.pat();
    this.backdrop = this.add.existing(new HomeBackdrop(this, this.texts, this.palette)).setDepth(0);
    this.figure = this.add.existing(new PetFigure(this, this.texts, this.palette, this.box, pat)).setDepth(5);
    this.effects = this.add.existing(new PetEffects(this, this.texts)).setDepth(7);
    this.meters = this.add.existing(new MeterBars(this, this.texts, this.palette)).setDepth(10);
    this.formReveal = this.add.existing(new FormReveal(this, this.texts)).setDepth(13);

    this.listen('pet', ({ pet, loading }) => this.showPet(pet, loading === true));
    this.listen('picture', ({ picture }) => this.showPicture(picture));
    this.listen('care', (event) => this.react(event));
    this.listen('celebrate', ({ petId, adultForm }) => {
      if (petId === this.pet?.id) this.celebrate(adultForm);
    });
    this.listen('woke', ({ petId, delta }) => {
      if (petId !== this.pet?.id) return;
      this.floatDeltas(delta);
      this.figure.jump(30);
      this.figure.bounce(0.16);
      const { floorY, petSize } = this.figure.place;
      this.effects.burst('star', 8, { angle: { min: 200, max: 340 } }, floorY - petSize * 0.7);
    });

    this.layout();
    const last = this.bus.last('pet');
    this.showPet(last?.pet ?? null, last?.loading === true);
    this.showPicture(this.bus.last('picture')?.picture ?? null);
  }

  protected override onPalette(): void {
    this.meters.applyPalette(this.palette);
    this.backdrop.applyPalette(this.palette);
    this.figure.card.applyPalette(this.palette);
    this.layout();
  }

  protected layout(): void {
    const w = this.cssWidth;
    const box = homeLayout(w, this.cssHeight);
    this.box = box;
    this.meters.place(box.margin, box.metersY, w - box.margin * 2);
    this.figure.resize(box, w);
    this.backdrop.resize(w, this.cssHeight, box);
    this.placeAroundFigure();
  }

  /** The room and the effects follow where the pet stands. */
  private placeAroundFigure(): void {
    const place = this.figure.place;
    const mode: FigureMode = this.figure.shows;
    const p = this.box.picture;
    this.backdrop.drawRoom(mode, place, this.box, this.pet?.adultForm === 'radiant');
    // Beside the card's top corner (clear of the picture button), or over the pet's shoulder.
    const needAt =
      mode === 'card'
        ? { x: p.x + p.width + Math.min(6, (this.cssWidth - p.x - p.width) * 0.2) - place.petSize * 0.05, y: p.y + p.height * 0.38 }
        : { x: place.cx + place.petSize * 0.34, y: place.floorY - place.petSize * 0.78 };
    this.effects.placeAround(place, needAt);
  }

  private showPet(pet: PetView | null, loading = false): void {
    const previous = this.pet;
    this.pet = pet;
    const switched = previous?.id !== pet?.id;
    this.backdrop.setPet(pet, loading);
    this.backdrop.showShadow(pet !== null && this.figure.shows === 'card');
    this.meters.setVisible(pet !== null);
    this.figure.setPet(pet, !switched);
    if (!pet) {
      this.effects.showNeed(null);
      this.effects.showFlies(false);
      return;
    }
    this.meters.setValues(pet, switched);
    if (previous?.adultForm !== pet.adultForm || switched) this.placeAroundFigure();
    this.effects.showNeed(needOf(pet));
    this.effects.showFlies(pet.cleanliness <= CRITICAL_THRESHOLD);
  }

  /** The picture, the skeleton or the procedural pet, with a cross-fade between them. */
  private showPicture(view: PictureView | null): void {
    const previous = this.picture;
    this.picture = view;
    // Another pet (or the first picture of this run): no cross-fade from what was there.
    const animate = previous !== null && view !== null && previous.petId === view.petId;
    const mode: FigureMode = view && view.show !== 'procedural' ? 'card' : 'procedural';
    if (this.figure.setMode(mode, animate)) {
      this.backdrop.showShadow(this.pet !== null && mode === 'card');
      this.placeAroundFigure();
    }
    if (!view || mode === 'procedural') return;
    if (view.show === 'image' && view.image) {
      this.figure.card.showImage(pictureTexture(this, view.url, view.image, 'card'), view.url, animate);
    } else {
      this.figure.card.showSkeleton(view.painting, animate);
    }
  }

  override update(_time: number, deltaMs: number): void {
    this.elapsed += deltaMs / 1000;
    this.meters.tick(deltaMs);
    const pet = this.pet;
    if (!pet) return;
    this.figure.tick(this.elapsed);
    if (this.figure.shows === 'card') this.backdrop.liftShadow(this.figure.lift);
    this.effects.tick(this.elapsed, this.figure.jumpHeight, pet.asleep);
  }

  private floatDeltas(delta: StageEvents['care']['delta']): void {
    for (const [meter, amount] of Object.entries(delta) as Array<[Meter, number]>) this.meters.floatDelta(meter, amount);
  }

  /** A tap on the pet: a happy hop and a heart. Local only, no server round trip. */
  private pat(): void {
    if (!this.pet) return;
    this.figure.jump(14);
    const { floorY, petSize } = this.figure.place;
    this.effects.burst('heart', 2, { speed: { min: 40, max: 80 }, gravityY: -30 }, floorY - petSize * 0.7);
  }

  private react(event: StageEvents['care']): void {
    const pet = this.pet;
    if (!pet || event.petId !== pet.id) return;
    this.floatDeltas(event.delta);
    const { figure, effects } = this;
    const { floorY, petSize } = figure.place;
    const mouthY = floorY - petSize * 0.4;
    const headY = floorY - petSize * 0.6;
    switch (event.action) {
      case 'feed':
        figure.munch();
        effects.burst('crumb', 10, { scale: { start: 0.3, end: 0.1 }, speed: { min: 40, max: 120 }, gravityY: 380 }, mouthY);
        effects.burst('heart', 3, { gravityY: -40, speed: { min: 30, max: 90 } }, headY);
        break;
      case 'play':
        figure.jump(34, 2);
        figure.twirl();
        effects.burst('star', 12, { angle: { min: 200, max: 340 }, speed: { min: 90, max: 220 } }, headY);
        break;
      case 'clean':
        figure.bounce(0.08);
        effects.burst(
          'bubble',
          16,
          {
            x: { min: -petSize * 0.3, max: petSize * 0.3 },
            angle: { min: 250, max: 290 },
            speed: { min: 30, max: 90 },
            gravityY: -60,
            lifespan: 1600,
            scale: { start: 0.25, end: 0.6 },
          },
          floorY - petSize * 0.25,
        );
        break;
      case 'heal':
        figure.bounce(0.1);
        effects.burst('cross', 10, { gravityY: -50, speed: { min: 40, max: 120 }, scale: { start: 0.35, end: 0.1 } }, headY);
        break;
    }
    if (event.overfed) figure.shake();
  }

  private celebrate(adultForm?: AdultForm): void {
    const { cx, floorY, petSize } = this.figure.place;
    if (adultForm && adultForm !== 'none') this.formReveal.reveal(adultForm, cx, floorY - petSize * 0.95);
    this.figure.jump(60);
    this.figure.bounce(0.2);
    this.effects.confetti(this.cssWidth);
    this.effects.burst('star', 18, { angle: { min: 0, max: 360 }, speed: { min: 120, max: 260 }, gravityY: 0 }, floorY - petSize * 0.45);
  }
}
