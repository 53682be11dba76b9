/**
 * The one-way channel from the app (DOM, network) to the Phaser scenes. Scenes are view
 * only: they subscribe in `create()`, read the latest value of each event on start (a scene
 * may start after the data arrived), and never call back into the app.
 */
import type { CareAction, Species } from '../../../shared/balance.js';
import type { CaredMessage } from '../../../shared/protocol.js';
import type { PetSnapshot } from '../net/home-snapshot.js';
import type { Palette } from '../theme.js';

export interface StageEvents {
  /** The pet on show; null with `loading` while joining a room, null alone for an empty home. */
  pet: { pet: PetSnapshot | null; loading?: boolean };
  /** A care action was applied: play its reaction. */
  care: { petId: string; action: CareAction; delta: CaredMessage['delta']; overfed: boolean };
  /** The pet grew a stage. */
  celebrate: { petId: string };
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
