/**
 * One live connection to a `home` room (mine, or a friend's as a spectator), kept alive:
 * a dropped owner reconnects with the reconnection token for up to `RECONNECT_WINDOW_S`,
 * then (and spectators right away) falls back to a fresh join, retrying with backoff until
 * the server is back. Views only see snapshots, messages and a connection state.
 */
import type { Client, Room } from 'colyseus.js';
import type { CareAction, ItemId } from '../../../shared/balance.js';
import type { MinigameKind } from '../../../shared/minigames.js';
import {
  CLOSE_BANNED,
  CLOSE_RATE_LIMITED,
  FLOOD_REJOIN_PENALTY_S,
  MSG_CARE,
  MSG_CARED,
  MSG_ERROR,
  MSG_GAME_OVER,
  MSG_GAME_QUIT,
  MSG_GAME_START,
  MSG_PROGRESS,
  MSG_STAGE_CHANGED,
  MSG_TAP,
  MSG_TAP_RESULT,
  MSG_WAKE,
  MSG_WOKE,
  RECONNECT_WINDOW_S,
  ROOM_HOME,
  type CaredMessage,
  type CareMessage,
  type ErrorMessage,
  type GameOverMessage,
  type GameStartMessage,
  type HomeJoinOptions,
  type ProgressMessage,
  type StageChangedMessage,
  type TapMessage,
  type TapResultMessage,
  type WakeMessage,
  type WokeMessage,
} from '../../../shared/protocol.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { errorCodeOf, type ClientErrorCode } from './errors.js';
import { snapshotOf, type HomeSnapshot } from './home-snapshot.js';

export type ConnState = 'online' | 'connecting' | 'reconnecting' | 'offline';

export interface HomeConnectionHandlers {
  snapshot(snapshot: HomeSnapshot): void;
  connState(state: ConnState): void;
  cared(message: CaredMessage): void;
  roomError(message: ErrorMessage): void;
  stageChanged(message: StageChangedMessage): void;
  woke(message: WokeMessage): void;
  tapResult(message: TapResultMessage): void;
  gameOver(message: GameOverMessage): void;
  /** Streak days, quests completed, achievements unlocked (my own home only). */
  progress(message: ProgressMessage): void;
  /** Joining failed in a way retrying cannot fix (bad auth, not a friend, no such player). */
  fatal(code: ClientErrorCode): void;
}

/** Join failures that will fail again the same way. */
const FATAL_CODES: ReadonlySet<ClientErrorCode> = new Set<ClientErrorCode>([
  'AUTH_INVALID',
  'AUTH_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PLAYER_NOT_FOUND',
  'VALIDATION_FAILED',
  'BAD_MESSAGE',
  'PLAYER_BANNED',
]);

/** The close code colyseus uses when the client itself asked to leave. */
const CONSENTED_CLOSE = 4000;

/** Join failures worth telling the player about while retrying (the home is full, or we were too fast). */
const TOLD_CODES: ReadonlySet<ClientErrorCode> = new Set<ErrorCode>(['HOME_FULL', 'RATE_LIMITED']);
const told = (code: ClientErrorCode): code is ErrorCode => TOLD_CODES.has(code);

const backoffMs = (attempt: number, capMs: number): number =>
  Math.min(capMs, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);

export class HomeConnection {
  private room: Room | null = null;
  private state: ConnState = 'connecting';
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryNow: (() => void) | null = null;

  constructor(
    private readonly client: Client,
    private readonly options: HomeJoinOptions,
    private readonly handlers: HomeConnectionHandlers,
  ) {}

  get connState(): ConnState {
    return this.state;
  }

  /** True when this connection watches someone else's home. */
  get spectating(): boolean {
    return this.options.ownerId !== undefined;
  }

  start(): void {
    window.addEventListener('online', this.onBrowserOnline);
    void this.joinFresh('connecting');
  }

  /** Leaves for good: no more retries, no more callbacks. */
  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onBrowserOnline);
    clearTimeout(this.retryTimer);
    this.retryNow = null;
    const room = this.room;
    this.room = null;
    if (room) {
      room.removeAllListeners();
      // Not awaited: on a dead socket the leave promise never settles, and nobody needs it.
      room.leave(true).catch(() => undefined);
    }
  }

  /** Sends a care action; false when not connected (the caller tells the player). */
  sendCare(petId: string, action: CareAction, itemId?: ItemId): boolean {
    const message: CareMessage = itemId ? { petId, action, itemId } : { petId, action };
    return this.send(MSG_CARE, message);
  }

  sendWake(petId: string): boolean {
    const message: WakeMessage = { petId };
    return this.send(MSG_WAKE, message);
  }

  sendGameStart(petId: string, kind: MinigameKind): boolean {
    const message: GameStartMessage = { petId, kind };
    return this.send(MSG_GAME_START, message);
  }

  sendTap(message: TapMessage): boolean {
    return this.send(MSG_TAP, message);
  }

  sendGameQuit(gameId: string): boolean {
    return this.send(MSG_GAME_QUIT, { gameId });
  }

  private send(type: string, message: unknown): boolean {
    if (!this.room || this.state !== 'online') return false;
    this.room.send(type, message);
    return true;
  }

  private readonly onBrowserOnline = (): void => {
    // The network came back: skip the rest of the backoff.
    const now = this.retryNow;
    if (now) {
      clearTimeout(this.retryTimer);
      this.retryNow = null;
      now();
    }
  };

  private setState(state: ConnState): void {
    if (this.stopped || state === this.state) return;
    this.state = state;
    this.handlers.connState(state);
  }

  private schedule(delayMs: number, run: () => void): void {
    clearTimeout(this.retryTimer);
    this.retryNow = run;
    this.retryTimer = setTimeout(() => {
      this.retryNow = null;
      run();
    }, delayMs);
  }

  private async joinFresh(label: 'connecting' | 'reconnecting', attempt = 0): Promise<void> {
    if (this.stopped) return;
    // After a couple of failures the honest label is "offline" (we keep retrying quietly).
    this.setState(attempt < 2 ? label : 'offline');
    try {
      const room = await this.client.joinOrCreate(ROOM_HOME, this.options);
      this.attach(room);
    } catch (error) {
      if (this.stopped) return;
      const code = errorCodeOf(error);
      if (FATAL_CODES.has(code)) {
        this.setState('offline');
        this.handlers.fatal(code);
        return;
      }
      if (told(code) && attempt === 0) this.handlers.roomError({ code, message: '' });
      this.schedule(backoffMs(attempt, 15_000), () => void this.joinFresh(label, attempt + 1));
    }
  }

  private async reconnect(token: string, droppedAt: number, attempt = 0): Promise<void> {
    if (this.stopped) return;
    this.setState('reconnecting');
    try {
      const room = await this.client.reconnect(token);
      this.attach(room);
    } catch (error) {
      if (this.stopped) return;
      const code = errorCodeOf(error);
      const windowLeftMs = droppedAt + RECONNECT_WINDOW_S * 1000 - Date.now();
      // The seat is gone (room disposed, token unknown) or the window closed: join afresh.
      if (code === 'ROOM_NOT_FOUND' || FATAL_CODES.has(code) || windowLeftMs <= 0) {
        void this.joinFresh('reconnecting');
        return;
      }
      const delay = Math.min(backoffMs(attempt, 3_000), windowLeftMs);
      this.schedule(delay, () => void this.reconnect(token, droppedAt, attempt + 1));
    }
  }

  private attach(room: Room): void {
    if (this.stopped) {
      room.leave(true).catch(() => undefined);
      return;
    }
    this.room = room;
    room.onStateChange((state: unknown) => {
      if (this.room === room) this.handlers.snapshot(snapshotOf(state));
    });
    room.onMessage(MSG_CARED, (message: CaredMessage) => this.handlers.cared(message));
    room.onMessage(MSG_ERROR, (message: ErrorMessage) => this.handlers.roomError(message));
    room.onMessage(MSG_STAGE_CHANGED, (message: StageChangedMessage) => this.handlers.stageChanged(message));
    room.onMessage(MSG_WOKE, (message: WokeMessage) => this.handlers.woke(message));
    room.onMessage(MSG_TAP_RESULT, (message: TapResultMessage) => this.handlers.tapResult(message));
    room.onMessage(MSG_GAME_OVER, (message: GameOverMessage) => this.handlers.gameOver(message));
    room.onMessage(MSG_PROGRESS, (message: ProgressMessage) => this.handlers.progress(message));
    // Newer servers may send message types this client does not know yet; ignore them quietly.
    room.onMessage('*', () => undefined);
    room.onLeave((code: number) => this.onLeave(room, code));
    this.setState('online');
  }

  private onLeave(room: Room, code: number): void {
    if (this.stopped || this.room !== room) return;
    this.room = null;
    const token = room.reconnectionToken;
    if (code === CLOSE_BANNED) {
      // Banned by an admin: nothing to reconnect to.
      this.setState('offline');
      this.handlers.fatal('PLAYER_BANNED');
      return;
    }
    if (code === CLOSE_RATE_LIMITED) {
      // Cut off for sending too much: no seat is kept; join again once the penalty is over.
      this.setState('offline');
      this.schedule(FLOOD_REJOIN_PENALTY_S * 1000, () => void this.joinFresh('reconnecting'));
      return;
    }
    // Only the owner holds a reserved seat; a consented close means the server dropped it.
    if (!this.spectating && token && code !== CONSENTED_CLOSE) {
      void this.reconnect(token, Date.now());
    } else {
      void this.joinFresh('reconnecting');
    }
  }
}
