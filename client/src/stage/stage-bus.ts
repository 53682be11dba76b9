/**
 * The one-way channel from the app (DOM, network) to the Phaser scenes. Scenes are view
 * only: they subscribe in `create()`, read the latest value of each event on start (a scene
 * may start after the data arrived), and never call back into the app.
 */
import type { AdultForm, CareAction, Species, StageName } from '../../../shared/balance.js';
import type { CaredMessage, HomeRole, TapResultMessage } from '../../../shared/protocol.js';
import type { GameView, PetView } from '../../../shared/room-state.js';
import type { Palette } from '../theme.js';

/**
 * What the home shows for the pet on show: its painted picture (`url`, decoded in `image`),
 * a skeleton while it is being painted or downloaded, or the procedural art (no picture, or
 * it failed).
 */
export interface PictureView {
  petId: string;
  stage: StageName;
  show: 'image' | 'skeleton' | 'procedural';
  /** The picture on show ('' unless `show` is image). */
  url: string;
  image: HTMLImageElement | null;
  /** The skeleton says "Painting your pet…" (the server is painting it, not just sending it). */
  painting: boolean;
}

export interface StageEvents {
  /** The pet on show; null with `loading` while joining a room, null alone for an empty home. */
  pet: { pet: PetView | null; loading?: boolean };
  /** The picture of the pet on show (null with no pet). */
  picture: { picture: PictureView | null };
  /** A care action was applied: play its reaction. */
  care: { petId: string; action: CareAction; delta: CaredMessage['delta']; overfed: boolean };
  /** The pet grew a stage; `adultForm` when it became adult. */
  celebrate: { petId: string; adultForm?: AdultForm };
  /** The pet was woken up during quiet hours. */
  woke: { petId: string; delta: CaredMessage['delta'] };
  /**
   * The minigame on show (null: none) with the estimated server clock offset (server epoch
   * ms − local epoch ms) to extrapolate targets with, the viewer's role and the game's pet.
   */
  game: { game: GameView | null; clockOffsetMs: number; role: HomeRole; pet: PetView | null };
  /** The player tapped the field at (x, y) in field units. */
  gameTap: { x: number; y: number };
  /** The server's verdict on a tap, with where the tap landed (field units). */
  gameTapResult: { result: TapResultMessage; x: number; y: number };
  /** The species picked in the create-your-pet flow. */
  species: { species: Species };
  palette: { palette: Palette };
}

type Listener<T> = (payload: T) => void;

export class StageBus {
  private readonly listeners = new Map<keyof StageEvents, Set<Listener<never>>>();
  private readonly latest = new Map<keyof StageEvents, unknown>();

  on<K extends keyof StageEvents>(type: K, listener: Listener<StageEvents[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof StageEvents>(type: K, payload: StageEvents[K]): void {
    this.latest.set(type, payload);
    for (const listener of this.listeners.get(type) ?? []) (listener as Listener<StageEvents[K]>)(payload);
  }

  /** The last payload emitted for `type`, if any. */
  last<K extends keyof StageEvents>(type: K): StageEvents[K] | undefined {
    return this.latest.get(type) as StageEvents[K] | undefined;
  }
}
