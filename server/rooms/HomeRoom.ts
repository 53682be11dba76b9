/**
 * Room `home`: one per player, filtered by owner. The owner cares for their pets; friends
 * watch read-only. The room holds no rules: it authenticates, screens each frame against the
 * sender's message budget (screenFrame, called by the guarded transport), runs the messages of
 * its table (one row per type: schema, ownerOnly, run) through the same steps, hands care to
 * the pet service (which queues it in the sim host) and mirrors the sim into its state.
 */
import { Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ADULT_FORMS, CARE_ACTIONS, ITEM_IDS, STAGE_ADULT, stageName } from '../../shared/balance.js';
import { AppError, type ErrorBody } from '../../shared/errors.js';
import {
  CLOSE_RATE_LIMITED,
  FLOOD_CUT_OFF_MS,
  FLOOD_REJOIN_PENALTY_S,
  MAX_HOME_SPECTATORS,
  MAX_OWNER_CONNECTIONS,
  RATE_LIMITED_NOTICE_MS,
  ROOM_MESSAGE_BUDGET,
  CareMessageSchema,
  GameQuitMessageSchema,
  GameStartMessageSchema,
  HomeJoinOptionsSchema,
  MAX_ROOM_MESSAGE_BYTES,
  MSG_CARE,
  MSG_CARED,
  MSG_ERROR,
  MSG_GAME_OVER,
  MSG_PROGRESS,
  MSG_GAME_QUIT,
  MSG_GAME_START,
  MSG_STAGE_CHANGED,
  MSG_TAP,
  MSG_TAP_RESULT,
  MSG_WAKE,
  MSG_WOKE,
  RECONNECT_WINDOW_S,
  TapMessageSchema,
  WakeMessageSchema,
  type CaredMessage,
  type GameOverMessage,
  type ProgressMessage,
  type HomeRole,
  type StageChangedMessage,
  type TapResultMessage,
  type WokeMessage,
} from '../../shared/protocol.js';
import { mostCriticalMeter, type LifeEvent } from '../../sim/index.js';
import type { HostedGame } from '../sim-host/minigame-host.js';
import type { OwnerEvent } from '../bus/owner-events.js';
import { HOME_TOKEN_OPTION } from '../cluster/home-directory.js';
import type { ImageEvent } from '../images/events.js';
import { imageUrl, pictureVariant } from '../services/image-service.js';
import type { Holdings } from '../services/inventory-service.js';
import { careItem } from '../services/pet-service.js';
import { decodable, frameType, isRoomData, type FrameScreen } from './frame-screen.js';
import { MessageBudget, type BudgetRules, type BudgetVerdict } from './message-budget.js';
import type { RoomDeps } from './room-deps.js';
import { SyncedGameSchema, SyncedHomeSchema, SyncedPetSchema, SyncedTargetSchema } from './home-state.js';

export interface HomeAuth {
  playerId: string;
  playerName: string;
  role: HomeRole;
  ownerId: string;
  /** Set when the client was disconnected for flooding (it gets no reconnection seat). */
  cutOff?: boolean;
}

const BUDGET_RULES: BudgetRules = {
  overall: ROOM_MESSAGE_BUDGET.overall,
  perType: ROOM_MESSAGE_BUDGET.perType,
  noticeIntervalMs: RATE_LIMITED_NOTICE_MS,
  cutOffAfterMs: FLOOD_CUT_OFF_MS,
};

/**
 * How long a spectator admitted by `onAuth` keeps a place while connecting: a little more
 * than Colyseus's seat reservation (15 s), so an admitted spectator is counted until they are
 * either in the room or their seat is gone.
 */
const PENDING_SPECTATOR_MS = 20_000;

const checkJoinOptions = Compile(HomeJoinOptionsSchema);

type HomeClient = Client<HomeAuth, HomeAuth>;

/** What a message's `run` gets besides its payload. */
interface MessageContext {
  client: HomeClient;
  /** The sender (the owner, for owner-only messages). */
  auth: HomeAuth;
  state: SyncedHomeSchema;
  /** Mirrors a game into the state and patches. */
  showGame: (game: HostedGame) => void;
  /** The `room_messages_total` outcome of a message that went through: `ok` unless `run` says otherwise. */
  outcome: string;
}

/** A row of the room's message table: one message type a client may send. */
interface MessageSpec<S extends TSchema> {
  /** The payload's schema: anything else is refused with BAD_MESSAGE, naming what is wrong. */
  schema: S;
  /** Spectators sending it are refused with FORBIDDEN. */
  ownerOnly: boolean;
  /** Does it: replies go to `ctx.client`, refusals are thrown as AppError (answered with an `"error"`). */
  run(ctx: MessageContext, message: Static<S>): Promise<void> | void;
}

/** A table row with its validator compiled and its payload type sealed in. */
interface HomeMessage {
  ownerOnly: boolean;
  /** The row's `run` bound to `payload`; throws BAD_MESSAGE when the payload does not fit the schema. */
  accept(type: string, payload: unknown): (ctx: MessageContext) => Promise<void> | void;
}

function message<S extends TSchema>(spec: MessageSpec<S>): HomeMessage {
  const validator = Compile(spec.schema);
  return {
    ownerOnly: spec.ownerOnly,
    accept(type, payload) {
      if (!validator.Check(payload)) {
        const errors = validator.Errors(payload);
        // An extra property reports "schema is false" first; its additionalProperties error says more.
        const error = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
        throw new AppError('BAD_MESSAGE', error ? `${type}: ${error.instancePath || 'the message'} ${error.message}` : `${type}: not a valid message`);
      }
      return (ctx) => spec.run(ctx, payload);
    },
  };
}

/** Refuses a message that names a pet not living in this home. */
function refuseUnknownPet(state: SyncedHomeSchema, petId: string): void {
  if (!state.pets.has(petId)) throw new AppError('PET_NOT_FOUND');
}

function refuse(err: unknown): never {
  if (err instanceof AppError) throw new ServerError(err.status, err.code);
  throw err;
}

/** Builds the room class bound to this app's services (Colyseus instantiates it per room). */
export function createHomeRoom(deps: RoomDeps) {
  /** The messages a client may send, by type (anything else is answered UNKNOWN_MESSAGE). */
  const messages: Readonly<Record<string, HomeMessage>> = {
    [MSG_CARE]: message({
      schema: CareMessageSchema,
      ownerOnly: true,
      async run({ client, auth, state }, { petId, action, itemId }) {
        refuseUnknownPet(state, petId);
        // The bag in the room's state: a care without its item is refused before any write.
        const item = careItem(action, itemId);
        if ((state.inventory.get(item) ?? 0) < 1) throw new AppError('ITEM_MISSING', `You have no ${item} left`);
        const result = await deps.pets.care(auth.playerId, petId, action, item, true);
        const reply: CaredMessage = { petId, action: result.action, delta: result.delta, overfed: result.overfed, cooldownSeconds: result.cooldownSeconds };
        client.send(MSG_CARED, reply);
      },
    }),
    [MSG_WAKE]: message({
      schema: WakeMessageSchema,
      ownerOnly: true,
      async run({ client, auth, state }, { petId }) {
        refuseUnknownPet(state, petId);
        const result = await deps.pets.wake(auth.playerId, petId, true);
        const reply: WokeMessage = { petId, delta: result.delta, awakeForSeconds: result.awakeForSeconds };
        client.send(MSG_WOKE, reply);
      },
    }),
    [MSG_GAME_START]: message({
      schema: GameStartMessageSchema,
      ownerOnly: true,
      async run({ auth, state, showGame }, { petId, kind }) {
        refuseUnknownPet(state, petId);
        showGame(await deps.minigames.start(auth.playerId, petId, kind));
      },
    }),
    [MSG_TAP]: message({
      schema: TapMessageSchema,
      ownerOnly: true,
      run(ctx, { gameId, seq, x, y }) {
        const outcome = deps.minigames.tap(ctx.auth.playerId, gameId, seq, x, y);
        const hit = outcome.kind === 'hit' ? outcome : null;
        const reply: TapResultMessage = {
          gameId,
          seq,
          outcome: outcome.kind === 'miss' ? outcome.reason : outcome.kind,
          points: hit?.points ?? 0,
          targetId: hit ? String(hit.targetId) : null,
          score: hit?.score ?? ctx.state.game?.score ?? 0,
          combo: hit?.combo ?? ctx.state.game?.combo ?? 0,
        };
        ctx.outcome = reply.outcome;
        ctx.client.send(MSG_TAP_RESULT, reply);
        if (outcome.kind === 'over') throw new AppError('GAME_OVER');
      },
    }),
    [MSG_GAME_QUIT]: message({
      schema: GameQuitMessageSchema,
      ownerOnly: true,
      run({ auth }, { gameId }) {
        deps.minigames.quit(auth.playerId, gameId);
      },
    }),
  };

  return class HomeRoom extends Room<SyncedHomeSchema, unknown, HomeAuth, HomeAuth> implements FrameScreen {
    // Room for every spectator and owner connection allowed, and a little slack for joins
    // racing a refusal: a full home refuses in onAuth/onJoin, it never locks into a second room.
    override maxClients = MAX_HOME_SPECTATORS + MAX_OWNER_CONNECTIONS + 2;
    private ownerId = '';
    private readonly budgets = new Map<string, MessageBudget>();
    /** When each spectator admitted by onAuth but not yet joined was admitted (ms). */
    private readonly pendingSpectators: number[] = [];
    private unsubscribers: Array<() => void> = [];
    /** The stage and variant each pet's shown picture belongs to. */
    private readonly imageFor = new Map<string, { stage: number; variant: number; skin: string }>();
    private acquired = false;
    /** Cluster mode: the home directory names this room as the owner's home. */
    private bound = false;
    /** A read of the owner's holdings under way, and whether another change came meanwhile. */
    private holdingsRead: Promise<void> | null = null;
    private holdingsStale = false;

    /**
     * Runs before matchmaking: redeems the room ticket (never initData: it would sit in the
     * WebSocket URL), and resolves which home the caller may enter and in which role.
     */
    static override async onAuth(token: string | undefined, options: unknown, context: AuthContext): Promise<HomeAuth> {
      try {
        if (!checkJoinOptions.Check(options)) throw new AppError('VALIDATION_FAILED', 'join options are not valid');
        const playerId = token ? await deps.tickets.redeem(token) : null;
        if (!playerId) throw new AppError('ROOM_TICKET_INVALID', 'Join with a ticket from POST /api/v1/rooms/tickets');
        const penalty = deps.rooms.penaltyLeft(playerId);
        if (penalty > 0) throw new AppError('RATE_LIMITED', `Flooding: join again in ${penalty} s`, { retryAfterSeconds: penalty });
        const player = await deps.players.findById(playerId);
        if (!player) throw new AppError('AUTH_INVALID');
        // A ticket taken just before a ban is refused too.
        if (player.banned_at !== null) throw new AppError('PLAYER_BANNED');
        const requested = options.ownerId;
        const auth: HomeAuth = { playerId: player.id, playerName: player.first_name, role: 'owner', ownerId: player.id };
        if (requested !== undefined && requested !== player.id) {
          if (!(await deps.friends.areFriends(player.id, requested))) {
            throw new AppError('FORBIDDEN', "Only friends can watch someone's home");
          }
          auth.role = 'spectator';
          auth.ownerId = requested;
          const home = deps.rooms.homeOf(requested) as HomeRoomInstance | undefined;
          if (home && !home.admitSpectator()) throw new AppError('HOME_FULL');
        }
        // filterBy(['ownerId']) matches on the options: pin them to the resolved owner.
        options.ownerId = auth.ownerId;
        return auth;
      } catch (err) {
        if (err instanceof AppError && (err.code === 'ROOM_TICKET_INVALID' || err.code === 'AUTH_INVALID')) {
          deps.metrics.roomJoinsRefused.inc({ code: err.code });
          deps.logger.warn({ code: err.code, ip: context.ip }, 'room join refused: no valid ticket');
        } else if (err instanceof AppError) {
          deps.metrics.roomJoinsRefused.inc({ code: err.code });
        }
        return refuse(err);
      }
    }

    override async onCreate(options: { ownerId: string; [HOME_TOKEN_OPTION]?: string }): Promise<void> {
      this.ownerId = options.ownerId;
      if (deps.closing()) throw new ServerError(503, 'NOT_READY');
      // One home per owner: claimed before the first await, so a concurrent create loses.
      const holder = deps.rooms.claimOwner(this.ownerId, this);
      if (holder !== this) {
        // joinOrCreate only creates when the home is locked (full); create() always does.
        throw holder.locked ? new ServerError(409, 'HOME_FULL') : new ServerError(409, 'HOME_EXISTS');
      }
      try {
        // In a cluster, the owner's key in the home directory names this room (in place of the
        // creation token the directory reserved it with), or another home exists somewhere.
        if (deps.homes) {
          if (!(await deps.homes.bind(this.ownerId, this.roomId, options[HOME_TOKEN_OPTION]))) throw new ServerError(409, 'HOME_EXISTS');
          this.bound = true;
        }
        await this.setUp();
      } catch (err) {
        deps.rooms.unregister(this);
        if (this.acquired) await deps.sim.release(this.ownerId, this.roomId);
        if (this.bound) await deps.homes?.release(this.ownerId, this.roomId).catch(() => undefined);
        throw err;
      }
    }

    private async setUp(): Promise<void> {
      this.autoDispose = true;
      this.setPatchRate(null);
      const owner = await deps.players.findById(this.ownerId);
      if (!owner) throw new ServerError(404, 'PLAYER_NOT_FOUND');
      await deps.sim.acquire(this.ownerId, this.roomId, { waitForLeaseMs: deps.leaseWaitMs });
      this.acquired = true;
      // Shut down while it waited for the owner's lease: its clients go to another process.
      if (deps.closing()) throw new ServerError(503, 'NOT_READY');
      const state = new SyncedHomeSchema();
      state.ownerId = this.ownerId;
      state.ownerName = owner.first_name;
      state.ownerOnline = false;
      state.spectators = 0;
      state.serverTime = 0;
      state.coins = 0;
      this.setState(state);
      this.syncFromSim();
      this.unsubscribers.push(
        deps.sim.subscribe(this.ownerId, {
          onChange: () => this.syncAndPatch(),
          onLifeEvent: (petId, event) => this.announce(petId, event),
          // Another process took the owner over: its clients rejoin there.
          onLost: () => {
            this.acquired = false;
            void this.disconnect();
          },
        }),
        deps.gameHost.subscribe(this.ownerId, { onGameTick: (game) => this.syncGame(game) }),
        // Everything else that happens to the owner, on this process or another one.
        deps.bus.subscribe(this.ownerId, (event) => this.ownerEvent(event)),
      );
      this.syncHoldings(await deps.inventory.holdings(this.ownerId));
      deps.images.warm(this.ownerId);
      for (const [type, spec] of Object.entries(messages)) {
        this.onMessage(type, (client: HomeClient, payload: unknown) => void this.dispatch(type, spec, client, payload));
      }
      this.onMessage('*', (client, type) => {
        deps.metrics.roomMessages.inc({ type: 'unknown', outcome: 'error' });
        this.sendError(client, { code: 'UNKNOWN_MESSAGE', message: `Unknown message type ${JSON.stringify(String(type)).slice(0, 40)}` });
      });
      deps.metrics.rooms.inc({ room: 'home' });
      deps.rooms.register(this);
    }

    override onJoin(client: HomeClient, _options: unknown, auth: HomeAuth): void {
      if (auth.role === 'spectator') {
        this.pendingSpectators.shift();
        if (this.state.spectators >= MAX_HOME_SPECTATORS) throw new ServerError(409, 'HOME_FULL');
      } else if (this.clients.filter((c) => c.userData?.role === 'owner').length >= MAX_OWNER_CONNECTIONS) {
        throw new ServerError(409, 'HOME_FULL');
      }
      client.userData = auth;
      if (auth.role === 'owner') {
        if (!this.state.ownerOnline) this.tellPresence(deps.presence.ownerArrived(this.ownerId));
        this.state.ownerOnline = true;
      } else {
        if (!this.state.ownerOnline) this.tellPresence(deps.presence.friendVisited(this.ownerId, auth.playerId));
        this.state.spectators += 1;
      }
      deps.metrics.clients.inc({ room: 'home', role: auth.role });
      this.broadcastPatch();
    }

    override async onLeave(client: HomeClient, consented?: boolean): Promise<void> {
      const auth = client.userData;
      if (auth?.role === 'owner' && !consented && !auth.cutOff) {
        this.updateOwnerOnline(client);
        try {
          await this.allowReconnection(client, RECONNECT_WINDOW_S);
          this.state.ownerOnline = true;
          this.broadcastPatch();
          return;
        } catch (err) {
          // The window passed: the owner is gone.
          deps.logger.debug({ err, roomId: this.roomId }, 'owner did not reconnect');
        }
      }
      this.budgets.delete(client.sessionId);
      if (auth) deps.metrics.clients.dec({ room: 'home', role: auth.role });
      if (auth?.role === 'spectator') this.state.spectators = Math.max(0, this.state.spectators - 1);
      this.updateOwnerOnline(client);
      if (auth?.role === 'owner' && !this.state.ownerOnline) {
        // A round nobody plays any more ends (and is paid for what was scored).
        deps.minigames.leave(this.ownerId);
        // A process shutting down hands its players over: they are not away.
        if (!deps.closing()) this.tellPresence(deps.presence.ownerLeft(this.ownerId));
      }
      this.broadcastPatch();
    }

    override async onDispose(): Promise<void> {
      deps.minigames.leave(this.ownerId);
      for (const unsubscribe of this.unsubscribers) unsubscribe();
      deps.rooms.unregister(this);
      if (this.state) deps.metrics.rooms.dec({ room: 'home' });
      if (this.acquired) await deps.sim.release(this.ownerId, this.roomId);
      if (this.bound) await deps.homes?.release(this.ownerId, this.roomId).catch((err: unknown) => deps.logger.warn({ err, roomId: this.roomId }, 'could not free the home key'));
    }

    override onUncaughtException(error: unknown, methodName: string): void {
      deps.logger.error({ err: error, methodName, roomId: this.roomId }, 'home room error');
    }

    /**
     * Every frame first pays from the client's message budget (before anything is decoded
     * but its type); over budget it is dropped, and a client that stays over is cut off.
     * Oversized and undecodable messages get an error instead of a disconnect. Called by the
     * guarded transport for each frame, before Colyseus decodes it (frame-screen.ts).
     */
    screenFrame(client: Client, frame: Buffer): boolean {
      const auth = client.userData as HomeAuth | undefined;
      if (auth?.cutOff) return false;
      const isData = isRoomData(frame);
      const type = isData && frame.byteLength <= MAX_ROOM_MESSAGE_BYTES ? frameType(frame) : null;
      const verdict = this.budgetOf(client).check(type, performance.now());
      if (verdict !== 'pass') {
        this.overBudget(client, verdict, type);
        return false;
      }
      if (!isData) return true;
      if (frame.byteLength > MAX_ROOM_MESSAGE_BYTES) {
        deps.metrics.roomMessages.inc({ type: 'oversized', outcome: 'error' });
        this.sendError(client, { code: 'PAYLOAD_TOO_LARGE', message: `Messages are limited to ${MAX_ROOM_MESSAGE_BYTES} bytes` });
        return false;
      }
      if (!decodable(frame)) {
        deps.metrics.roomMessages.inc({ type: 'malformed', outcome: 'error' });
        this.sendError(client, { code: 'BAD_MESSAGE', message: 'The message could not be decoded' });
        return false;
      }
      return true;
    }

    private budgetOf(client: Client): MessageBudget {
      let budget = this.budgets.get(client.sessionId);
      if (!budget) {
        budget = new MessageBudget(BUDGET_RULES, performance.now());
        this.budgets.set(client.sessionId, budget);
      }
      return budget;
    }

    private overBudget(client: Client, verdict: Exclude<BudgetVerdict, 'pass'>, type: string | null): void {
      deps.metrics.roomMessagesDropped.inc({ type: type !== null && Object.hasOwn(messages, type) ? type : 'other' });
      if (verdict === 'notice') {
        this.sendError(client, { code: 'RATE_LIMITED', message: 'Too many messages: some were dropped' });
        return;
      }
      if (verdict !== 'cut_off') return;
      const auth = client.userData as HomeAuth | undefined;
      if (auth) {
        auth.cutOff = true;
        deps.rooms.penalize(auth.playerId, FLOOD_REJOIN_PENALTY_S);
      }
      deps.metrics.roomClientsCutOff.inc();
      deps.logger.warn(
        { roomId: this.roomId, playerId: auth?.playerId, dropped: this.budgets.get(client.sessionId)?.dropped ?? 0 },
        'client cut off for flooding',
      );
      this.sendError(client, { code: 'RATE_LIMITED', message: `Too many messages: disconnected for ${FLOOD_REJOIN_PENALTY_S} s` });
      client.leave(CLOSE_RATE_LIMITED);
    }

    /**
     * Takes a place for a spectator about to join (called by `onAuth`); false when the home
     * already has as many spectators as it may, counting those still connecting.
     */
    admitSpectator(): boolean {
      const nowMs = performance.now();
      while (this.pendingSpectators.length > 0 && (this.pendingSpectators[0] as number) < nowMs - PENDING_SPECTATOR_MS) this.pendingSpectators.shift();
      if ((this.state?.spectators ?? 0) + this.pendingSpectators.length >= MAX_HOME_SPECTATORS) return false;
      this.pendingSpectators.push(nowMs);
      return true;
    }

    get owner(): string {
      return this.ownerId;
    }

    /**
     * The steps every message takes: its payload checked against its schema, its sender
     * against `ownerOnly`, then its `run`; whatever is refused or fails is answered with an
     * `"error"`, never a throw. (The budget was paid before the frame was decoded: screenFrame.)
     */
    private async dispatch(type: string, spec: HomeMessage, client: HomeClient, payload: unknown): Promise<void> {
      try {
        const run = spec.accept(type, payload);
        const auth = client.userData;
        if (!auth) throw new AppError('AUTH_INVALID');
        if (spec.ownerOnly && auth.role !== 'owner') throw new AppError('FORBIDDEN', `Spectators cannot send ${type}`);
        const ctx: MessageContext = { client, auth, state: this.state, showGame: (game) => this.syncGame(game), outcome: 'ok' };
        await run(ctx);
        deps.metrics.roomMessages.inc({ type, outcome: ctx.outcome });
      } catch (err) {
        this.replyError(client, err, type);
      }
    }

    /** Mirrors a game into the state and patches: every game tick while it runs, once when it ends. */
    private syncGame(game: HostedGame): void {
      let view = this.state.game;
      if (!view || view.id !== game.id) {
        view = new SyncedGameSchema();
        view.id = game.id;
        view.kind = game.kind;
        view.petId = game.petId;
        view.startedAt = game.startedAt;
        view.endsAt = game.endsAt;
        this.state.game = view;
      }
      const session = game.session;
      setIfChanged(view, 'status', session.ended ? 'over' : 'running');
      setIfChanged(view, 'score', session.score);
      setIfChanged(view, 'combo', session.combo);
      view.sampledAt = deps.gameHost.sampledAt;
      const seen = new Set<string>();
      for (const t of session.ended ? [] : deps.gameHost.targets(game)) {
        seen.add(t.id);
        let target = view.targets.get(t.id);
        if (!target) {
          target = new SyncedTargetSchema();
          target.id = t.id;
          target.kind = t.kind;
          view.targets.set(t.id, target);
        }
        target.x = t.x;
        target.y = t.y;
        target.vx = t.vx;
        target.vy = t.vy;
        target.r = t.r;
        target.dr = t.dr;
      }
      for (const id of [...view.targets.keys()]) if (!seen.has(id)) view.targets.delete(id);
      this.broadcastPatch();
    }

    /** Shows the picture of the pet's current stage (looked up again when the stage changes). */
    private refreshImage(petId: string, stage: number, variant: number, skin: string): void {
      this.imageFor.set(petId, { stage, variant, skin });
      const view = this.state.pets.get(petId);
      if (view) {
        view.imageUrl = '';
        view.imageStatus = 'none';
      }
      deps.images.viewFor(petId, stage, variant, skin).then(
        (image) => {
          const current = this.imageFor.get(petId);
          const pet = this.state?.pets.get(petId);
          if (!pet || !current || current.stage !== stage || current.variant !== variant || current.skin !== skin) return;
          if (pet.imageStatus === 'ready') return;
          pet.imageUrl = image.url;
          pet.imageStatus = image.status;
          this.broadcastPatch();
        },
        (err: unknown) => deps.logger.warn({ err, petId }, 'image lookup failed'),
      );
    }

    private imageChanged(event: ImageEvent): void {
      const current = this.imageFor.get(event.petId);
      const pet = this.state.pets.get(event.petId);
      if (!pet || !current || current.stage !== event.stage || current.variant !== event.variant || current.skin !== event.skin) return;
      if (event.status === 'ready') {
        pet.imageUrl = imageUrl(event.imageId);
        pet.imageStatus = 'ready';
      } else if (pet.imageStatus !== 'ready') {
        pet.imageStatus = event.status;
      }
      this.broadcastPatch();
    }

    private ownerEvent(event: OwnerEvent): void {
      switch (event.kind) {
        case 'holdings':
          this.refreshHoldings();
          break;
        case 'progress': {
          const message: ProgressMessage = { notices: event.notices };
          for (const client of this.clients) {
            if (client.userData?.role === 'owner') client.send(MSG_PROGRESS, message);
          }
          break;
        }
        case 'game_over':
          this.broadcast(MSG_GAME_OVER, event.message satisfies GameOverMessage);
          break;
        case 'image':
          this.imageChanged(event.image);
          break;
        default:
          // Coats and stages reach the state through the sim; nothing more to show.
          break;
      }
    }

    /** Reads the owner's coins and items again; changes arriving during a read get one more read. */
    private refreshHoldings(): void {
      if (this.holdingsRead) {
        this.holdingsStale = true;
        return;
      }
      this.holdingsRead = deps.inventory
        .holdings(this.ownerId)
        .then((holdings) => {
          if (!this.state) return;
          this.syncHoldings(holdings);
          this.broadcastPatch();
        })
        .catch((err: unknown) => deps.logger.warn({ err, roomId: this.roomId }, 'could not read the holdings again'))
        .finally(() => {
          this.holdingsRead = null;
          if (this.holdingsStale) {
            this.holdingsStale = false;
            this.refreshHoldings();
          }
        });
    }

    private syncHoldings(holdings: Holdings): void {
      if (this.state.coins !== holdings.coins) this.state.coins = holdings.coins;
      const inventory = this.state.inventory;
      for (const itemId of ITEM_IDS) {
        const quantity = holdings.items[itemId];
        if (quantity === undefined) {
          if (inventory.has(itemId)) inventory.delete(itemId);
        } else if (inventory.get(itemId) !== quantity) {
          inventory.set(itemId, quantity);
        }
      }
    }

    private replyError(client: Client, err: unknown, type: string): void {
      if (err instanceof AppError) {
        deps.metrics.roomMessages.inc({ type, outcome: err.code });
        this.sendError(client, err.toBody());
        return;
      }
      deps.logger.error({ err, roomId: this.roomId, type }, 'room message failed');
      deps.metrics.roomMessages.inc({ type, outcome: 'INTERNAL' });
      this.sendError(client, { code: 'INTERNAL', message: 'Internal error' });
    }

    /** Presence is for notifications: a failure is logged, never the room's problem. */
    private tellPresence(done: Promise<void>): void {
      done.catch((err: unknown) => deps.logger.warn({ err, roomId: this.roomId }, 'notifications: presence not recorded'));
    }

    private sendError(client: Client, body: ErrorBody): void {
      client.send(MSG_ERROR, body);
    }

    private updateOwnerOnline(leaving: HomeClient): void {
      this.state.ownerOnline = this.clients.some(
        (c) => c !== leaving && c.userData?.role === 'owner',
      );
    }

    private syncAndPatch(): void {
      this.syncFromSim();
      this.broadcastPatch();
    }

    /** Copies the sim's values into the state, touching only fields whose shown value changed. */
    private syncFromSim(): void {
      const timeScale = deps.sim.timeScale;
      let count = 0;
      deps.sim.forEachOwnerPet(this.ownerId, (pet) => {
        count++;
        let view = this.state.pets.get(pet.id);
        if (!view) {
          view = new SyncedPetSchema();
          view.id = pet.id;
          view.name = pet.name;
          view.species = pet.species;
          this.state.pets.set(pet.id, view);
        }
        setIfChanged(view, 'stage', stageName(pet.stats.stage));
        setIfChanged(view, 'hunger', round1(pet.stats.hunger));
        setIfChanged(view, 'mood', round1(pet.stats.mood));
        setIfChanged(view, 'cleanliness', round1(pet.stats.cleanliness));
        setIfChanged(view, 'health', round1(pet.stats.health));
        setIfChanged(view, 'sick', pet.stats.sick);
        setIfChanged(view, 'ageSeconds', Math.floor(pet.stats.ageSeconds));
        setIfChanged(
          view,
          'nextStageInSeconds',
          pet.nextStageSeconds === null ? -1 : Math.ceil(pet.nextStageSeconds / timeScale),
        );
        for (const action of CARE_ACTIONS) {
          const left = Math.ceil(pet.cooldowns[action] / timeScale);
          if (view.cooldowns.get(action) !== left) view.cooldowns.set(action, left);
        }
        const s = pet.stats;
        setIfChanged(view, 'asleep', pet.asleep);
        setIfChanged(view, 'adultForm', ADULT_FORMS[s.adultForm] ?? 'none');
        setIfChanged(view, 'careMistakes', s.careMistakes);
        setIfChanged(view, 'careBonus', s.careBonus);
        const worst = mostCriticalMeter(s);
        setIfChanged(view, 'criticalMeter', worst.meter ?? '');
        setIfChanged(view, 'criticalSeconds', Math.floor(worst.seconds / timeScale));
        const shown = this.imageFor.get(pet.id);
        const variant = pictureVariant(s.stage, s.adultForm);
        setIfChanged(view, 'skin', pet.skin);
        if (!shown || shown.stage !== s.stage || shown.variant !== variant || shown.skin !== pet.skin) this.refreshImage(pet.id, s.stage, variant, pet.skin);
        this.state.serverTime = pet.at;
      });
      // Every pet of the owner is in the map now: more entries means some left.
      if (this.state.pets.size > count) {
        const live = new Set<string>();
        deps.sim.forEachOwnerPet(this.ownerId, (pet) => live.add(pet.id));
        for (const id of [...this.state.pets.keys()]) if (!live.has(id)) this.state.pets.delete(id);
      }
    }

    private announce(petId: string, event: LifeEvent): void {
      if (event.kind !== 'stage') return;
      const message: StageChangedMessage = { petId, from: stageName(event.from), to: stageName(event.to) };
      const pet = deps.sim.live(petId);
      if (pet && event.to === STAGE_ADULT) message.adultForm = ADULT_FORMS[pet.stats.adultForm] ?? 'none';
      this.broadcast(MSG_STAGE_CHANGED, message);
    }
  };
}

type HomeRoomInstance = InstanceType<ReturnType<typeof createHomeRoom>>;

const round1 = (v: number) => Math.round(v * 10) / 10;

function setIfChanged<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}
