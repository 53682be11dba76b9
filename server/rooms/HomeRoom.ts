/**
 * Room `home`: one per player, filtered by owner. The owner cares for their pets; friends
 * watch read-only. The room holds no rules: it authenticates, validates messages, hands care
 * to the pet service (which queues it in the sim host) and mirrors the sim into its state.
 */
import { unpack } from '@colyseus/msgpackr';
import { decode } from '@colyseus/schema';
import { Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { Compile } from 'typebox/compile';
import { CARE_ACTIONS, stageName } from '../../shared/balance.js';
import { AppError, type ErrorBody } from '../../shared/errors.js';
import {
  CareMessageSchema,
  HomeJoinOptionsSchema,
  MAX_ROOM_MESSAGE_BYTES,
  MSG_CARE,
  MSG_CARED,
  MSG_ERROR,
  MSG_STAGE_CHANGED,
  RECONNECT_WINDOW_S,
  type CaredMessage,
  type HomeRole,
  type StageChangedMessage,
} from '../../shared/protocol.js';
import type { LifeEvent } from '../../sim/index.js';
import type { RoomDeps } from './room-deps.js';
import { HomeState, PetState } from './home-state.js';

export interface HomeAuth {
  playerId: string;
  playerName: string;
  role: HomeRole;
  ownerId: string;
}

const checkJoinOptions = Compile(HomeJoinOptionsSchema);
const checkCare = Compile(CareMessageSchema);

/** Protocol byte of a room message carrying msgpack data (Colyseus `Protocol.ROOM_DATA`). */
const ROOM_DATA = 13;

function refuse(err: unknown): never {
  if (err instanceof AppError) throw new ServerError(err.status, err.code);
  throw err;
}

/** Builds the room class bound to this app's services (Colyseus instantiates it per room). */
export function createHomeRoom(deps: RoomDeps) {
  return class HomeRoom extends Room<HomeState, unknown, HomeAuth, HomeAuth> {
    override maxClients = 64;
    private ownerId = '';
    private unsubscribe: (() => void) | null = null;
    private acquired = false;

    /** Runs before matchmaking: resolves the caller and which home they may enter. */
    static override async onAuth(token: string | undefined, options: unknown, _context: AuthContext): Promise<HomeAuth> {
      try {
        if (!checkJoinOptions.Check(options)) throw new AppError('VALIDATION_FAILED', 'join options are not valid');
        if (!token) throw new AppError('AUTH_INVALID', 'initData is missing');
        const player = await deps.players.authenticate(token);
        const requested = options.ownerId;
        const auth: HomeAuth = { playerId: player.id, playerName: player.first_name, role: 'owner', ownerId: player.id };
        if (requested !== undefined && requested !== player.id) {
          if (!(await deps.friends.areFriends(player.id, requested))) {
            throw new AppError('FORBIDDEN', "Only friends can watch someone's home");
          }
          auth.role = 'spectator';
          auth.ownerId = requested;
        }
        // filterBy(['ownerId']) matches on the options: pin them to the resolved owner.
        options.ownerId = auth.ownerId;
        return auth;
      } catch (err) {
        return refuse(err);
      }
    }

    override async onCreate(options: { ownerId: string }): Promise<void> {
      this.ownerId = options.ownerId;
      this.autoDispose = true;
      this.setPatchRate(null);
      const owner = await deps.players.findById(this.ownerId);
      if (!owner) throw new ServerError(404, 'PLAYER_NOT_FOUND');
      await deps.sim.acquire(this.ownerId, this.roomId);
      this.acquired = true;
      const state = new HomeState();
      state.ownerId = this.ownerId;
      state.ownerName = owner.first_name;
      state.ownerOnline = false;
      state.spectators = 0;
      state.serverTime = 0;
      this.setState(state);
      this.syncFromSim();
      this.unsubscribe = deps.sim.subscribe(this.ownerId, {
        onChange: () => this.syncAndPatch(),
        onLifeEvent: (petId, event) => this.announce(petId, event),
      });
      this.onMessage(MSG_CARE, (client, message: unknown) => {
        this.handleCare(client, message).catch((err: unknown) => this.replyError(client, err));
      });
      this.onMessage('*', (client, type) => {
        deps.metrics.roomMessages.inc({ type: 'unknown', outcome: 'error' });
        this.sendError(client, { code: 'UNKNOWN_MESSAGE', message: `Unknown message type ${JSON.stringify(String(type)).slice(0, 40)}` });
      });
      deps.metrics.rooms.inc({ room: 'home' });
      deps.rooms.register(this);
    }

    override onJoin(client: Client<HomeAuth, HomeAuth>, _options: unknown, auth: HomeAuth): void {
      client.userData = auth;
      if (auth.role === 'owner') this.state.ownerOnline = true;
      else this.state.spectators += 1;
      deps.metrics.clients.inc({ room: 'home', role: auth.role });
      this.broadcastPatch();
    }

    override async onLeave(client: Client<HomeAuth, HomeAuth>, consented?: boolean): Promise<void> {
      const auth = client.userData;
      if (auth?.role === 'owner' && !consented) {
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
      if (auth) deps.metrics.clients.dec({ room: 'home', role: auth.role });
      if (auth?.role === 'spectator') this.state.spectators = Math.max(0, this.state.spectators - 1);
      this.updateOwnerOnline(client);
      this.broadcastPatch();
    }

    override async onDispose(): Promise<void> {
      this.unsubscribe?.();
      deps.rooms.unregister(this);
      if (this.state) deps.metrics.rooms.dec({ room: 'home' });
      if (this.acquired) await deps.sim.release(this.ownerId, this.roomId);
    }

    override onUncaughtException(error: unknown, methodName: string): void {
      deps.logger.error({ err: error, methodName, roomId: this.roomId }, 'home room error');
    }

    /** Refuses oversized and undecodable messages with an error instead of a disconnect. */
    protected override _onMessage(client: Client, buffer: Buffer): void {
      if (buffer[0] === ROOM_DATA) {
        if (buffer.byteLength > MAX_ROOM_MESSAGE_BYTES) {
          deps.metrics.roomMessages.inc({ type: 'oversized', outcome: 'error' });
          this.sendError(client, { code: 'PAYLOAD_TOO_LARGE', message: `Messages are limited to ${MAX_ROOM_MESSAGE_BYTES} bytes` });
          return;
        }
        if (!decodable(buffer)) {
          deps.metrics.roomMessages.inc({ type: 'malformed', outcome: 'error' });
          this.sendError(client, { code: 'BAD_MESSAGE', message: 'The message could not be decoded' });
          return;
        }
      }
      super._onMessage(client as never, buffer);
    }

    get owner(): string {
      return this.ownerId;
    }

    private async handleCare(client: Client<HomeAuth, HomeAuth>, message: unknown): Promise<void> {
      const auth = client.userData;
      if (!auth) throw new AppError('AUTH_INVALID');
      if (!checkCare.Check(message)) throw new AppError('BAD_MESSAGE', 'care needs { petId, action } with a known action');
      if (auth.role !== 'owner') throw new AppError('FORBIDDEN', 'Spectators cannot care for the pet');
      if (!this.state.pets.has(message.petId)) throw new AppError('PET_NOT_FOUND');
      const result = await deps.pets.care(auth.playerId, message.petId, message.action, true);
      deps.metrics.roomMessages.inc({ type: MSG_CARE, outcome: 'ok' });
      const reply: CaredMessage = {
        petId: message.petId,
        action: result.action,
        delta: result.delta,
        overfed: result.overfed,
        cooldownSeconds: result.cooldownSeconds,
      };
      client.send(MSG_CARED, reply);
    }

    private replyError(client: Client, err: unknown): void {
      if (err instanceof AppError) {
        deps.metrics.roomMessages.inc({ type: MSG_CARE, outcome: err.code });
        this.sendError(client, err.toBody());
        return;
      }
      deps.logger.error({ err, roomId: this.roomId }, 'care failed');
      deps.metrics.roomMessages.inc({ type: MSG_CARE, outcome: 'INTERNAL' });
      this.sendError(client, { code: 'INTERNAL', message: 'Internal error' });
    }

    private sendError(client: Client, body: ErrorBody): void {
      client.send(MSG_ERROR, body);
    }

    private updateOwnerOnline(leaving: Client<HomeAuth, HomeAuth>): void {
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
      const pets = deps.sim.ownerPets(this.ownerId);
      const timeScale = deps.sim.timeScale;
      const seen = new Set<string>();
      for (const pet of pets) {
        seen.add(pet.id);
        let view = this.state.pets.get(pet.id);
        if (!view) {
          view = new PetState();
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
        this.state.serverTime = pet.at;
      }
      for (const id of [...this.state.pets.keys()]) if (!seen.has(id)) this.state.pets.delete(id);
    }

    private announce(petId: string, event: LifeEvent): void {
      if (event.kind !== 'stage') return;
      const message: StageChangedMessage = { petId, from: stageName(event.from), to: stageName(event.to) };
      this.broadcast(MSG_STAGE_CHANGED, message);
    }
  };
}

export type HomeRoomInstance = InstanceType<ReturnType<typeof createHomeRoom>>;

/** Whether Colyseus will be able to decode this ROOM_DATA message (it disconnects otherwise). */
function decodable(buffer: Buffer): boolean {
  try {
    // Same steps as Room#_onMessage: protocol byte, message type, msgpack body.
    const it = { offset: 1 };
    if (decode.stringCheck(buffer, it)) decode.string(buffer, it);
    else decode.number(buffer, it);
    if (buffer.byteLength > it.offset) unpack(buffer.subarray(it.offset, buffer.byteLength));
    return true;
  } catch {
    return false;
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function setIfChanged<K extends keyof PetState>(target: PetState, key: K, value: PetState[K]): void {
  if (target[key] !== value) target[key] = value;
}
