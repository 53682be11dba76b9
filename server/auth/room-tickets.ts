/**
 * Room tickets: a player exchanges their Telegram initData (valid for a day) for a random
 * ticket that joins a room once within `ROOM_TICKET_TTL_S`. colyseus.js carries the join
 * token in the WebSocket URL, where proxies log it; a logged ticket is already spent.
 *
 * Two stores with one contract: in process memory (one process), and in Redis when
 * `REDIS_URL` is set (a ticket issued by one process is redeemed by whichever process the
 * matchmaking request reaches).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../shared/errors.js';
import { withDeadline } from '../util/deadline.js';

interface RoomTicket {
  ticket: string;
  expiresInSeconds: number;
}

export interface RoomTicketStore {
  /** A new single-use ticket for `playerId`. */
  issue(playerId: string): Promise<RoomTicket>;
  /** The player a ticket was issued to, once; null when unknown, expired or already used. */
  redeem(ticket: string): Promise<string | null>;
}

/** 32 random bytes, base64url: 43 characters. */
const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const newTicket = () => randomBytes(32).toString('base64url');

/** Whether `value` has a ticket's shape (anything else is refused without a lookup). */
export function looksLikeTicket(value: string): boolean {
  return TICKET_PATTERN.test(value);
}

/** Tickets in this process's memory; at most `maxOutstanding` unredeemed ones (oldest go first). */
export class LocalRoomTickets implements RoomTicketStore {
  private readonly tickets = new Map<string, { playerId: string; expiresAtMs: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxOutstanding = 100_000,
  ) {}

  issue(playerId: string): Promise<RoomTicket> {
    const nowMs = this.now();
    this.sweep(nowMs);
    const ticket = newTicket();
    this.tickets.set(ticket, { playerId, expiresAtMs: nowMs + this.ttlSeconds * 1000 });
    if (this.tickets.size > this.maxOutstanding) {
      const oldest = this.tickets.keys().next();
      if (!oldest.done) this.tickets.delete(oldest.value);
    }
    return Promise.resolve({ ticket, expiresInSeconds: this.ttlSeconds });
  }

  redeem(ticket: string): Promise<string | null> {
    if (!looksLikeTicket(ticket)) return Promise.resolve(null);
    const entry = this.tickets.get(ticket);
    if (!entry) return Promise.resolve(null);
    this.tickets.delete(ticket);
    return Promise.resolve(entry.expiresAtMs > this.now() ? entry.playerId : null);
  }

  /** Drops expired tickets from the front (insertion order is expiry order). */
  private sweep(nowMs: number): void {
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAtMs > nowMs) return;
      this.tickets.delete(ticket);
    }
  }
}

/** Tickets in Redis with a TTL; redeemed with GETDEL, so exactly one redemption wins. */
export class RedisRoomTickets implements RoomTicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'telepets:room-ticket:',
    private readonly timeoutMs = 2000,
  ) {}

  async issue(playerId: string): Promise<RoomTicket> {
    const ticket = newTicket();
    await this.deadline(this.redis.set(this.prefix + ticket, playerId, 'EX', this.ttlSeconds));
    return { ticket, expiresInSeconds: this.ttlSeconds };
  }

  async redeem(ticket: string): Promise<string | null> {
    if (!looksLikeTicket(ticket)) return null;
    return this.deadline(this.redis.getdel(this.prefix + ticket));
  }

  private deadline<T>(command: Promise<T>): Promise<T> {
    return withDeadline(command, this.timeoutMs, () => new AppError('NOT_READY', 'Redis did not answer in time'));
  }
}
