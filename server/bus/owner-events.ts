/**
 * What happens to a player that their home room shows: the events of the owner bus. Each kind
 * has a schema; an event coming from another process is checked against it before anyone
 * hears it (owner-bus.ts), and the schemas are checked against the server's own types below.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ProgressNotice } from '../../shared/progression.js';
import { MinigameKindSchema, type GameOverMessage } from '../../shared/protocol.js';
import type { ImageEvent } from '../images/events.js';

/** Events from another process carry nothing but what their kind declares. */
const STRICT = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Count = Type.Integer({ minimum: 0 });
/** Minutes east of UTC, as the players' rows hold them. */
const UtcOffset = Type.Integer({ minimum: -720, maximum: 840 });

const ProgressNoticeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('streak'), days: Count, rewardCoins: Count, frozen: Type.Boolean(), freezeGranted: Type.Boolean() }),
  Type.Object({ kind: Type.Literal('weekly_streak'), weeks: Count, rewardCoins: Count }),
  Type.Object({ kind: Type.Literal('quest_completed'), questId: Id, templateId: Id, rewardCoins: Count }),
  Type.Object({ kind: Type.Literal('achievement'), achievementId: Id, rewardCoins: Count }),
  Type.Object({ kind: Type.Literal('referral'), friendName: Type.String({ maxLength: 128 }), rewardCoins: Count }),
]);

const GameOverSchema = Type.Object({
  gameId: Id,
  kind: MinigameKindSchema,
  petId: Id,
  score: Type.Number(),
  maxScore: Type.Number(),
  reason: Type.Union([Type.Literal('time'), Type.Literal('quit'), Type.Literal('left')]),
  rewards: Type.Object({
    coins: Type.Number(),
    meter: Type.Union([Type.Literal('hunger'), Type.Literal('mood'), Type.Literal('cleanliness')]),
    meterPoints: Type.Number(),
    careBonus: Type.Number(),
    capped: Type.Boolean(),
    dailyCapReached: Type.Boolean(),
  }),
});

const ImageEventSchema = Type.Object({
  imageId: Id,
  petId: Id,
  ownerId: Id,
  stage: Type.Integer({ minimum: 0 }),
  variant: Type.Integer({ minimum: 0 }),
  skin: Type.String({ maxLength: 64 }),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('ready'), Type.Literal('failed')]),
  provider: Type.Union([Type.String({ maxLength: 128 }), Type.Null()]),
  reason: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
});

export const OwnerEventSchema = Type.Union([
  /** Coins, debt or items changed: whoever shows them reads them again. */
  Type.Object({ kind: Type.Literal('holdings') }, STRICT),
  /** Streaks, quests and achievements that just moved. */
  Type.Object({ kind: Type.Literal('progress'), notices: Type.Array(ProgressNoticeSchema, { maxItems: 64 }) }, STRICT),
  /** A minigame round ended (and was paid). */
  Type.Object({ kind: Type.Literal('game_over'), message: GameOverSchema }, STRICT),
  /** A picture was queued, started, finished or failed. */
  Type.Object({ kind: Type.Literal('image'), image: ImageEventSchema }, STRICT),
  /** A pet put on another coat (or lost one to a refund). */
  Type.Object({ kind: Type.Literal('skin_changed'), petId: Id, skin: Type.String({ maxLength: 64 }) }, STRICT),
  /** A pet grew up a stage (`adultForm` is the form's index once adult, else -1). */
  Type.Object({ kind: Type.Literal('stage_changed'), petId: Id, from: Count, to: Count, adultForm: Type.Integer({ minimum: -1 }) }, STRICT),
  /**
   * The owner's UTC offset schedule changed (stored already): the process simulating their
   * pets applies it. `changesAt` is the game clock of a planned change, null when none is.
   */
  Type.Object(
    {
      kind: Type.Literal('utc_offset'),
      utcOffsetMinutes: UtcOffset,
      nextUtcOffsetMinutes: UtcOffset,
      changesAt: Type.Union([Type.Number(), Type.Null()]),
    },
    STRICT,
  ),
  /** A pet got six hours of good care (a care bonus) on game day `day`. */
  Type.Object({ kind: Type.Literal('care_bonus'), petId: Id, day: Type.Integer() }, STRICT),
]);

export type OwnerEvent = Static<typeof OwnerEventSchema>;
export type OwnerEventKind = OwnerEvent['kind'];
export type OwnerEventOf<K extends OwnerEventKind> = Extract<OwnerEvent, { kind: K }>;

const checkEvent = Compile(OwnerEventSchema);

/** The event if `value` is one (a message from another process), else null. */
export function asOwnerEvent(value: unknown): OwnerEvent | null {
  return checkEvent.Check(value) ? value : null;
}

// The schemas describe exactly the server's own types (a drift fails typecheck).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameNotices: Same<Static<typeof ProgressNoticeSchema>, ProgressNotice> = true;
const sameGameOver: Same<Static<typeof GameOverSchema>, GameOverMessage> = true;
const sameImage: Same<Static<typeof ImageEventSchema>, ImageEvent> = true;
void [sameNotices, sameGameOver, sameImage];
