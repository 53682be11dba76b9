/**
 * What the app shell (app.ts) lends the per-feature coordinators: the REST client, the stage
 * bus, toasts, who I am, the room on show and the pet on show, my holdings, and the few
 * app-wide moves (the Back button, placing a sheet, closing the HUD's popovers, recording a
 * UI event). Each
 * coordinator owns its feature's sheet, API calls and events; the shell owns sign-in, the
 * room connection and the routing between coordinators.
 */
import type { UiEvent } from '../../shared/analytics.js';
import type { ClientConfigDto, FriendDto, MeDto } from '../../shared/dto.js';
import type { Holdings } from './features/bag/bag-panel.js';
import type { Api } from './net/api.js';
import type { HomeSnapshot } from './net/home-snapshot.js';
import type { PetView } from '../../shared/room-state.js';
import type { StageBus } from './stage/stage-bus.js';
import type { ToastKind, Toasts } from './kit/toasts.js';

export interface AppShell {
  readonly api: Api;
  readonly bus: StageBus;
  readonly toasts: Toasts;
  /** A toast, with a haptic for errors, warnings and successes. */
  notify(message: string, kind: ToastKind): void;
  /** An error code's toast and haptic. */
  fail(code: string): void;
  me(): MeDto | null;
  config(): ClientConfigDto | null;
  /** The friend whose home is on show (null: mine). */
  spectating(): FriendDto | null;
  /** The room's latest snapshot (null while joining). */
  snapshot(): HomeSnapshot | null;
  /** The pet on show in the latest snapshot. */
  shownPet(): PetView | null;
  /** My coins and items (never a friend's). */
  holdings(): Holdings | null;
  setHoldings(holdings: Holdings): void;
  /** Points Telegram's Back button at whatever is on top now. */
  updateBackButton(): void;
  /** Places a sheet that was created late (its code loaded on first use) in the app's column. */
  mount(el: HTMLElement): void;
  /** Closes the home HUD's popovers (food picker and the like). */
  closePopovers(): void;
  /** Records a UI event for analytics (net/analytics.ts; sent in batches). */
  track(event: UiEvent): void;
}
