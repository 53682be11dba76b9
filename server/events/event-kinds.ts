/**
 * The events the game appends to its log (docs/events.md), each with its payload. Payloads
 * are small and name things by id: no names, no Telegram ids, nothing a player typed.
 */
import type { AdultForm, CareAction, StageName } from '../../shared/balance.js';
import type { MinigameKind } from '../../shared/minigames.js';

/** What an admin did (the admin routes that change something). */
export type AdminAction = 'stars_refund';

export interface GameEventPayloads {
  /** A care paid with an item (stored with the item spent). */
  care: { petId: string; action: CareAction; itemId: string };
  /** A shop purchase with coins. */
  purchase: { purchaseId: string; itemId: string; quantity: number; coins: number; promotionId: string | null; variant: string };
  /** A Telegram Stars payment credited (or recorded without a grant when it matched no order). */
  payment: { chargeId: string; orderId: string | null; productId: string | null; stars: number; currency: string; coins: number; matched: boolean };
  /** A Stars payment reversed (by Telegram or an admin). */
  refund: { chargeId: string; orderId: string | null; by: 'admin' | 'telegram'; stars: number; coinsTaken: number; debtAdded: number };
  /** A minigame round that ended (once per round): `finished`, or `abandoned` when the player left. */
  minigame: { sessionId: string; game: MinigameKind; status: 'finished' | 'abandoned'; score: number; coins: number; meterPoints: number; suspicious: boolean };
  /** A pet adopted (with the starter pack). */
  adopt: { petId: string; species: string };
  /** A pet grew to its next stage; `adultForm` when it became an adult, null before. */
  stage: { petId: string; from: StageName; to: StageName; adultForm: AdultForm | null };
  /** A pet fell sick (`sick`), or was cured with medicine (`sick: false`, with the care). */
  sickness: { petId: string; sick: boolean };
  /**
   * An admin action that changed something, for the player it affected (null when none):
   * `stars_refund` of the Stars payment `target` (a charge id). Admins share one password,
   * so no admin id.
   */
  admin: { action: AdminAction; target: string };
  /** Two players became friends (one event for each of them). */
  friend: { friendId: string };
  /**
   * A day counted in the daily streak (`periodKey`: the local day) or a week in the weekly one
   * (the week number), with its reward. `frozen`: a streak freeze saved the missed day before;
   * `broken`: the streak had ended (a day or week missed) and starts again at 1.
   */
  streak: { period: 'daily' | 'weekly'; periodKey: number; streak: number; frozen: boolean; broken: boolean; coins: number };
  /** A quest completed, or its reward (`coins`) claimed. */
  quest: { questId: string; templateId: string; status: 'completed' | 'claimed'; coins: number };
  /** An achievement unlocked, with its coin reward. */
  achievement: { achievementId: string; coins: number };
  /** A collection set's one-time reward paid (ADR 0017), with its ledger transaction. */
  collection: { setId: string; coins: number; transactionId: string };
  /**
   * A referred player's first adoption decided their referral (docs/ECONOMY.md, "Referrals"):
   * one event for each of the two players (`role`), with the coins that player got. `status`:
   * `rewarded` (both paid), `capped` (the inviter over the cap: only the new player paid).
   */
  referral: { referredId: string; inviterId: string; role: 'inviter' | 'referred'; status: 'rewarded' | 'capped'; coins: number };
}

export type GameEventKind = keyof GameEventPayloads;

/** An event to append, its payload checked against its kind at compile time. */
export type GameEvent = {
  [K in GameEventKind]: {
    kind: K;
    playerId: string | null;
    payload: GameEventPayloads[K];
    at: number;
    /** Its id when the change has a key of its own (a pet fact's row id); a new UUID otherwise. */
    id?: string;
  };
}[GameEventKind];
