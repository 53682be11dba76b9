/**
 * Telegram's sending limits, shared by every process: a global token bucket (about 30
 * messages a second for a bot; 25 by default here) and at most one message a second to one
 * chat. In cluster mode both live in Redis and are taken in one script, so two processes
 * never overshoot together; in one process they live in memory. Real time, not the game clock:
 * these are Telegram's limits.
 */
import type { Redis } from 'ioredis';

export interface SendGate {
  /** Takes a token and the chat's slot for a second; false when either is not free now. */
  acquire(chatId: number): Promise<boolean>;
}

export interface SendGateOptions {
  /** Messages a second, all chats together (also the burst). */
  ratePerSecond: number;
  /** Gap between two messages to one chat (ms). */
  perChatMs: number;
}

/** One process: a token bucket and each chat's last send in memory. */
export class LocalSendGate implements SendGate {
  private tokens: number;
  private refilledAt: number;
  private readonly chats = new Map<number, number>();

  constructor(
    private readonly options: SendGateOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.ratePerSecond;
    this.refilledAt = now();
  }

  acquire(chatId: number): Promise<boolean> {
    const now = this.now();
    this.tokens = Math.min(this.options.ratePerSecond, this.tokens + ((now - this.refilledAt) / 1000) * this.options.ratePerSecond);
    this.refilledAt = now;
    const last = this.chats.get(chatId);
    if (last !== undefined && now - last < this.options.perChatMs) return Promise.resolve(false);
    if (this.tokens < 1) return Promise.resolve(false);
    this.tokens -= 1;
    this.chats.set(chatId, now);
    if (this.chats.size > 10_000) {
      for (const [chat, at] of this.chats) if (now - at >= this.options.perChatMs) this.chats.delete(chat);
    }
    return Promise.resolve(true);
  }
}

/**
 * KEYS[1] bucket hash (tokens, at µs), KEYS[2] the chat's slot; ARGV rate/s, chat gap ms.
 * Returns 1 when both were taken, 0 when the bucket is empty, -1 when the chat had one within the gap.
 */
const ACQUIRE = `
if redis.call('exists', KEYS[2]) == 1 then return -1 end
local rate = tonumber(ARGV[1])
local t = redis.call('time')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('hmget', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or rate
local at = tonumber(state[2]) or now
tokens = math.min(rate, tokens + (now - at) / 1000000 * rate)
if tokens < 1 then
  redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('pexpire', KEYS[1], 60000)
  return 0
end
redis.call('hset', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('pexpire', KEYS[1], 60000)
redis.call('set', KEYS[2], '1', 'PX', ARGV[2])
return 1
`;

/** Cluster mode: the bucket and the chat slots in Redis, taken atomically by one script. */
export class RedisSendGate implements SendGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: SendGateOptions,
  ) {}

  async acquire(chatId: number): Promise<boolean> {
    const result = await this.redis.eval(ACQUIRE, 2, `${this.prefix}notify:bucket`, `${this.prefix}notify:chat:${chatId}`, this.options.ratePerSecond, this.options.perChatMs);
    return result === 1;
  }
}
