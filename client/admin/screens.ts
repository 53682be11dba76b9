/**
 * The panel's screens: one line each. To add a screen (Players, Moderation, Promotions, Fraud,
 * Leaderboards…): write `screens/<id>.ts` exporting `render(root, ctx)` (see ScreenModule),
 * add its title to both tables of i18n.ts as `nav.<id>`, and add a line here. The router opens
 * `#/<id>` and `#/<id>/<params…>`; the nav lists the screens the account's role may open, in
 * `order`; the module is loaded (its own chunk) on first open.
 */
import type { AdminApi, Account, Role } from './api.js';
import type { MessageKey } from './i18n.js';
import type { StatusLine } from './ui/status.js';

export interface ScreenContext {
  api: AdminApi;
  account: Account;
  /** Path segments after the screen id: `#/rooms/abc` → ['abc']. */
  params: readonly string[];
  navigate(path: string): void;
  /** The screen's refresh status line (under its title, announced on failures). */
  status: StatusLine;
  /** Sets the screen's heading (a detail page names its subject). */
  setTitle(title: string): void;
  /** Whether the account may do what needs `min` (hide admin-only actions from moderators). */
  can(min: Role): boolean;
}

export interface ScreenModule {
  /** Fills `root`; returns what to do when the screen is left (stop polling). */
  render(root: HTMLElement, ctx: ScreenContext): void | (() => void);
}

export interface ScreenEntry {
  id: string;
  titleKey: MessageKey;
  /** Position in the nav, ascending. */
  order: number;
  /** The lowest role that sees and opens it. */
  minRole: Role;
  load: () => Promise<ScreenModule>;
}

const ENTRIES: ScreenEntry[] = [
  { id: 'dashboard', titleKey: 'nav.dashboard', order: 10, minRole: 'moderator', load: () => import('./screens/dashboard.js') },
  { id: 'rooms', titleKey: 'nav.rooms', order: 20, minRole: 'moderator', load: () => import('./screens/rooms.js') },
  { id: 'analytics', titleKey: 'nav.analytics', order: 60, minRole: 'moderator', load: () => import('./screens/analytics.js') },
  { id: 'audit', titleKey: 'nav.audit', order: 90, minRole: 'moderator', load: () => import('./screens/audit.js') },
  // Moderation and fraud
  { id: 'moderation', titleKey: 'nav.moderation', order: 40, minRole: 'moderator', load: () => import('./screens/moderation.js') },
  { id: 'fraud', titleKey: 'nav.fraud', order: 70, minRole: 'moderator', load: () => import('./screens/fraud.js') },
  // Players and promotions
  { id: 'players', titleKey: 'nav.players', order: 30, minRole: 'moderator', load: () => import('./screens/players.js') },
  { id: 'promotions', titleKey: 'nav.promotions', order: 50, minRole: 'moderator', load: () => import('./screens/promotions.js') },
];

export const SCREENS: readonly ScreenEntry[] = [...ENTRIES].sort((a, b) => a.order - b.order);

export const DEFAULT_SCREEN = 'dashboard';

/** `#/rooms/abc%20d` → { id: 'rooms', params: ['abc d'] }; an empty hash → the default screen. */
export function parseHash(hash: string): { id: string; params: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { id: parts[0] ?? DEFAULT_SCREEN, params: parts.slice(1) };
}

export function screenHref(id: string, ...params: string[]): string {
  return `#/${[id, ...params].map(encodeURIComponent).join('/')}`;
}
