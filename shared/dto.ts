/**
 * REST DTO schemas (JSON Schema via TypeBox). The server validates and documents with them
 * (OpenAPI); the client uses the static types.
 */
import { Type, type Static } from 'typebox';
import { ADULT_FORMS, CARE_ACTIONS, ITEM_IDS, ITEM_KINDS, PET_NAME_MAX_LENGTH, RARITIES, SPECIES, STAGES } from './balance.js';
import { ERRORS } from './errors.js';
import { LEADERBOARD_IDS, LEADERBOARD_OFFSET_MAX, LEADERBOARD_PAGE_MAX, LEADERBOARD_PERIODS, LEADERBOARD_SCOPES } from './leaderboards.js';
import { PET_NAME_INPUT_MAX_LENGTH } from './names.js';
import { IdSchema } from './protocol.js';


export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(Object.keys(ERRORS) as Array<keyof typeof ERRORS>),
      message: Type.String(),
      retryAfterSeconds: Type.Optional(Type.Integer({ description: 'RATE_LIMITED: seconds to wait' })),
    }),
  },
  { $id: 'ErrorResponse' },
);

const BalancesSchema = Type.Object({
  coins: Type.Integer({ minimum: 0, description: 'Spendable coins' }),
  debt: Type.Integer({ minimum: 0, description: 'Coins owed after a refund of something already spent; repaid from the next earnings' }),
});
export type BalancesDto = Static<typeof BalancesSchema>;

export const MeSchema = Type.Object({
  id: Type.String(),
  telegramId: Type.Number(),
  firstName: Type.String(),
  lastName: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  languageCode: Type.String(),
  inviteCode: Type.String(),
  utcOffsetMinutes: Type.Integer({ description: 'The offset in force: local time = UTC + offset; my day and quiet hours follow it' }),
  utcOffsetChange: Type.Union(
    [
      Type.Object({
        utcOffsetMinutes: Type.Integer(),
        at: Type.String({ format: 'date-time', description: 'When it takes effect: a midnight of the new offset, at the end of my current day' }),
      }),
      Type.Null(),
    ],
    { description: 'A planned change of the offset (PATCH /me), or null' },
  ),
  coins: Type.Integer({ description: 'Spendable coins (the ledger wallet)' }),
  balances: BalancesSchema,
  createdAt: Type.String({ format: 'date-time' }),
});
export type MeDto = Static<typeof MeSchema>;

export const UpdateMeSchema = Type.Object(
  { utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, multipleOf: 15 }) },
  { additionalProperties: false },
);
export type UpdateMeBody = Static<typeof UpdateMeSchema>;

export const InventorySchema = Type.Object({
  coins: Type.Integer(),
  debt: Type.Integer({ minimum: 0 }),
  items: Type.Array(Type.Object({ itemId: Type.Enum(ITEM_IDS), kind: Type.Enum(ITEM_KINDS), quantity: Type.Integer() })),
});
export type InventoryDto = Static<typeof InventorySchema>;

const MetersSchema = Type.Object({
  hunger: Type.Number({ minimum: 0, maximum: 100 }),
  mood: Type.Number({ minimum: 0, maximum: 100 }),
  cleanliness: Type.Number({ minimum: 0, maximum: 100 }),
  health: Type.Number({ minimum: 0, maximum: 100 }),
});

export const PetSchema = Type.Object({
  id: Type.String(),
  ownerId: Type.String(),
  name: Type.String(),
  species: Type.Enum(SPECIES),
  skin: Type.String({ description: "The coat it wears: 'default' or a skin its owner holds" }),
  stage: Type.Enum(STAGES),
  meters: MetersSchema,
  sick: Type.Boolean(),
  asleep: Type.Boolean(),
  adultForm: Type.Enum(ADULT_FORMS),
  care: Type.Object({ mistakes: Type.Integer(), bonus: Type.Integer() }),
  ageSeconds: Type.Number({ description: 'Game seconds since birth' }),
  careCounts: Type.Object({
    feed: Type.Integer(),
    play: Type.Integer(),
    clean: Type.Integer(),
    heal: Type.Integer(),
    overfeed: Type.Integer(),
  }),
  bornAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time', description: 'Server time the values refer to' }),
});
export type PetDto = Static<typeof PetSchema>;

export const CreatePetSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: PET_NAME_INPUT_MAX_LENGTH,
      description: `NFC, 1–${PET_NAME_MAX_LENGTH} code points once normalised, visible characters, no control or format characters (NAME_INVALID)`,
    }),
    species: Type.Optional(Type.Enum(SPECIES)),
  },
  { additionalProperties: false },
);
export type CreatePetBody = Static<typeof CreatePetSchema>;

export const PetListSchema = Type.Object({
  items: Type.Array(PetSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type PetListDto = Static<typeof PetListSchema>;

export const PetParamsSchema = Type.Object({ petId: IdSchema }, { additionalProperties: false });

const CooldownsSchema = Type.Object({
  feed: Type.Number(),
  play: Type.Number(),
  clean: Type.Number(),
  heal: Type.Number(),
});

export const PetSummarySchema = Type.Object({
  petId: Type.String(),
  name: Type.String(),
  species: Type.Enum(SPECIES),
  stage: Type.Enum(STAGES),
  ageSeconds: Type.Number(),
  meters: MetersSchema,
  nextStage: Type.Union([
    Type.Object({
      stage: Type.Enum(STAGES),
      inSeconds: Type.Union([Type.Number(), Type.Null()], {
        description: 'Real seconds at the current pace; null while the pet is not growing',
      }),
    }),
    Type.Null(),
  ]),
  status: Type.Object({
    sick: Type.Boolean(),
    asleep: Type.Boolean(),
    growing: Type.Boolean(),
    critical: Type.Array(Type.Enum(['hunger', 'mood', 'cleanliness'] as const)),
    allGood: Type.Boolean(),
  }),
  care: Type.Object({
    mistakes: Type.Integer(),
    bonus: Type.Integer(),
    adultForm: Type.Enum(ADULT_FORMS),
    /** Awake real seconds each critical meter has been critical towards its next mistake. */
    criticalSeconds: Type.Object({ hunger: Type.Number(), mood: Type.Number(), cleanliness: Type.Number() }),
    /** Real seconds of unbroken good care towards the next offset. */
    goodCareSeconds: Type.Number(),
  }),
  cooldowns: CooldownsSchema,
  live: Type.Boolean({ description: 'True when the values come from the running simulation' }),
});
export type PetSummaryDto = Static<typeof PetSummarySchema>;

export const SkinBodySchema = Type.Object(
  { skin: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z_]+$', description: "'default' or the skin of a skin item I hold (sakura, midnight, golden)" }) },
  { additionalProperties: false },
);

export const CareBodySchema = Type.Object(
  { action: Type.Enum(CARE_ACTIONS), itemId: Type.Optional(Type.Enum(ITEM_IDS)) },
  { additionalProperties: false },
);

export const CareResultSchema = Type.Object({
  action: Type.Enum(CARE_ACTIONS),
  itemId: Type.Enum(ITEM_IDS),
  delta: Type.Partial(MetersSchema),
  overfed: Type.Boolean(),
  cooldownSeconds: Type.Number(),
  pet: PetSchema,
});
export type CareResultDto = Static<typeof CareResultSchema>;

export const WakeResultSchema = Type.Object({
  delta: Type.Partial(MetersSchema),
  awakeForSeconds: Type.Number({ description: 'Real seconds' }),
  pet: PetSchema,
});
export type WakeResultDto = Static<typeof WakeResultSchema>;

export const AddFriendSchema = Type.Object(
  { inviteCode: Type.String({ minLength: 4, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }) },
  { additionalProperties: false },
);

export const FriendSchema = Type.Object({
  id: Type.String(),
  firstName: Type.String(),
  username: Type.Union([Type.String(), Type.Null()]),
  petCount: Type.Integer(),
  since: Type.String({ format: 'date-time' }),
});
export type FriendDto = Static<typeof FriendSchema>;

export const FriendListSchema = Type.Object({ items: Type.Array(FriendSchema) });
export type FriendListDto = Static<typeof FriendListSchema>;

export const RoomTicketSchema = Type.Object({
  ticket: Type.String({ description: 'Pass as the join token (colyseus.js `client.auth.token`); works for one join' }),
  expiresInSeconds: Type.Integer({ description: 'Seconds the ticket stays valid if unused' }),
});
export type RoomTicketDto = Static<typeof RoomTicketSchema>;

export const ClientConfigSchema = Type.Object({
  devSignIn: Type.Boolean(),
  botUsername: Type.Union([Type.String(), Type.Null()]),
  miniAppName: Type.Union([Type.String(), Type.Null()]),
  timeScale: Type.Number(),
  clockOffsetSeconds: Type.Number({
    description: 'Game clock = real epoch seconds × timeScale + clockOffsetSeconds (0 in production); quiet hours are in game time',
  }),
  devPaymentsPath: Type.Union([Type.String(), Type.Null()], {
    description: "Dev mode only: base path of the fake Bot API's payment endpoints (GET :slug, POST :slug/pay, POST :slug/cancel) standing in for Telegram's payment sheet",
  }),
});
export type ClientConfigDto = Static<typeof ClientConfigSchema>;

export const DevInitDataBodySchema = Type.Object(
  {
    telegramId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 52 })),
    firstName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_]+$' })),
    languageCode: Type.Optional(Type.String({ minLength: 2, maxLength: 8, pattern: '^[a-z]{2}(-[A-Za-z]+)?$' })),
    startParam: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]*$' })),
    /** Telegram's allows_write_to_pm (default true: the dev bot may write, to the fake Bot API). */
    allowsWriteToPm: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DevInitDataBody = Static<typeof DevInitDataBodySchema>;

export const DevInitDataSchema = Type.Object({ initData: Type.String() });

/** Admin account names: letters, digits, `.`, `_` and `-`, 1–64 characters. */
export const ADMIN_NAME_PATTERN = '^[A-Za-z0-9._-]{1,64}$';

export const AdminLoginSchema = Type.Object(
  {
    /** The account; `admin` (the one ADMIN_PASSWORD creates) when left out. */
    name: Type.Optional(Type.String({ pattern: ADMIN_NAME_PATTERN })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const AdminRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('moderator')]);
export type AdminRoleDto = Static<typeof AdminRoleSchema>;

export const AdminAccountSchema = Type.Object({ id: Type.String(), name: Type.String(), role: AdminRoleSchema });
export type AdminAccountDto = Static<typeof AdminAccountSchema>;

export const AdminTokenSchema = Type.Object({
  /** The access token for `Authorization: Bearer`. */
  token: Type.String(),
  expiresInSeconds: Type.Integer(),
  /** Also set as the HttpOnly cookie `telepets_admin_refresh` (path /admin/auth) that POST /admin/auth/refresh reads. */
  refreshToken: Type.String(),
  refreshExpiresInSeconds: Type.Integer(),
  account: AdminAccountSchema,
});
export type AdminTokenDto = Static<typeof AdminTokenSchema>;

export const AuditQuerySchema = Type.Object(
  {
    actorId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)*$', maxLength: 64 })),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** The `nextBefore` of the previous page. */
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}:[0-9a-f-]{36}$' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$' })),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntryDto = Static<typeof AuditEntrySchema>;

export const AuditListSchema = Type.Object({
  items: Type.Array(AuditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});

export const PlayerParamsSchema = Type.Object({ playerId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });

/** Why an admin does something to a player: shown in the audit log. */
export const AdminReasonSchema = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });

export const BanStateSchema = Type.Object({
  playerId: Type.String(),
  banned: Type.Boolean(),
  bannedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type BanStateDto = Static<typeof BanStateSchema>;

const AdminRoomSchema = Type.Object({
  roomId: Type.String(),
  /** The process that holds the room (Colyseus's process id). */
  processId: Type.String(),
  ownerId: Type.String(),
  clients: Type.Integer(),
  spectators: Type.Integer(),
  ownerOnline: Type.Boolean(),
  pets: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), stage: Type.Enum(STAGES) })),
});
export const AdminRoomListSchema = Type.Object({
  items: Type.Array(AdminRoomSchema),
  /** Processes of the cluster that did not answer in time (their rooms are missing from `items`). */
  unreachable: Type.Array(Type.String()),
});
export type AdminRoomDto = Static<typeof AdminRoomSchema>;

export const AdminRoomDetailSchema = Type.Object({
  roomId: Type.String(),
  processId: Type.String(),
  ownerId: Type.String(),
  clients: Type.Array(Type.Object({ sessionId: Type.String(), playerId: Type.String(), role: Type.String() })),
  state: Type.Unknown({ description: 'The room state as JSON' }),
  sim: Type.Array(
    Type.Object({
      petId: Type.String(),
      eid: Type.Integer(),
      components: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  lastTick: Type.Object({
    at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    durationMs: Type.Number(),
    dtGameSeconds: Type.Number(),
    loadedPets: Type.Integer(),
    dueEvents: Type.Integer(),
  }),
});
export type AdminRoomDetailDto = Static<typeof AdminRoomDetailSchema>;

export const ImageSchema = Type.Object({
  id: Type.String(),
  petId: Type.String(),
  stage: Type.Enum(STAGES),
  variant: Type.Enum(ADULT_FORMS),
  skin: Type.String(),
  seed: Type.Integer(),
  preset: Type.String(),
  status: Type.Enum(['queued', 'running', 'ready', 'failed'] as const),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'Failure reason code' }),
  provider: Type.Union([Type.String(), Type.Null()], { description: 'huggingface-primary, huggingface-fallback or procedural' }),
  model: Type.Union([Type.String(), Type.Null()]),
  mime: Type.Union([Type.String(), Type.Null()]),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()], { description: 'Where the bytes are served once ready' }),
  prompt: Type.String(),
  negativePrompt: Type.String(),
  requestedBy: Type.Enum(['system', 'player'] as const),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ImageDto = Static<typeof ImageSchema>;

export const ImageListSchema = Type.Object({ items: Type.Array(ImageSchema) });

export const StageQuerySchema = Type.Object(
  { stage: Type.Optional(Type.Enum(STAGES)) },
  { additionalProperties: false },
);

export const RegenerateBodySchema = Type.Object(
  { stage: Type.Optional(Type.Enum(STAGES)) },
  { additionalProperties: false },
);

export const RerunBodySchema = Type.Object(
  { seed: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }), stage: Type.Optional(Type.Enum(STAGES)) },
  { additionalProperties: false },
);

export const ImageParamsSchema = Type.Object({ imageId: IdSchema }, { additionalProperties: false });

const ExperimentSchema = Type.Object({
  id: Type.String(),
  imageId: Type.String(),
  attempt: Type.Integer(),
  provider: Type.String(),
  model: Type.String(),
  preset: Type.String(),
  prompt: Type.String(),
  negativePrompt: Type.String(),
  seed: Type.Integer(),
  durationMs: Type.Integer(),
  outcome: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const ExperimentListSchema = Type.Object({ items: Type.Array(ExperimentSchema) });
export const ExperimentQuerySchema = Type.Object(
  {
    imageId: Type.Optional(IdSchema),
    outcome: Type.Optional(Type.String({ maxLength: 32, pattern: '^[a-z_0-9]+$' })),
    limit: Type.Optional(Type.String({ pattern: '^(200|1[0-9]{2}|[1-9][0-9]?)$' })),
  },
  { additionalProperties: false },
);

const PromotionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  discountPercent: Type.Integer({ minimum: 1, maximum: 90 }),
  itemId: Type.Union([Type.Enum(ITEM_IDS), Type.Null()]),
  kind: Type.Union([Type.Enum(ITEM_KINDS), Type.Null()]),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
});
export type PromotionDto = Static<typeof PromotionSchema>;

const ItemGrantSchema = Type.Object({ itemId: Type.Enum(ITEM_IDS), quantity: Type.Integer({ minimum: 1 }) });

const SeasonSchema = Type.Object({
  id: Type.String({ description: 'i18n season.<id>' }),
  startsAt: Type.String({ format: 'date-time', description: 'First instant of the season (inclusive)' }),
  endsAt: Type.String({ format: 'date-time', description: 'First instant after the season (exclusive)' }),
  items: Type.Array(Type.Enum(ITEM_IDS), { description: 'Sold only in this season' }),
});
export type SeasonDto = Static<typeof SeasonSchema>;

const ShopItemSchema = Type.Object({
  itemId: Type.Enum(ITEM_IDS),
  kind: Type.Enum(ITEM_KINDS),
  rarity: Type.Union([Type.Enum(RARITIES), Type.Null()]),
  unitPrice: Type.Integer({ minimum: 1, description: 'Coins for one, now (after the promotion)' }),
  basePrice: Type.Integer({ minimum: 1, description: 'Coins for one without the promotion' }),
  promotionId: Type.Union([Type.String(), Type.Null()]),
  discountPercent: Type.Integer({ minimum: 0, maximum: 90 }),
  maxPerPurchase: Type.Integer({ minimum: 1 }),
  owned: Type.Integer({ minimum: 0, description: 'How many I hold' }),
  seasonId: Type.Union([Type.String(), Type.Null()], { description: 'A seasonal item: its season (shared/seasons.ts), listed only while it runs; null all year' }),
});
export type ShopItemDto = Static<typeof ShopItemSchema>;

const StarsProductSchema = Type.Object({
  productId: Type.String(),
  stars: Type.Integer({ minimum: 1, description: 'Price in Telegram Stars (XTR)' }),
  coins: Type.Integer({ minimum: 0, description: 'Coins granted' }),
  items: Type.Array(ItemGrantSchema),
  owned: Type.Boolean({ description: 'For products granting a unique item (a skin): already owned' }),
});
export type StarsProductDto = Static<typeof StarsProductSchema>;

export const ShopSchema = Type.Object({
  stage: Type.Enum(STAGES, { description: "Prices follow the stage of the player's most grown pet" }),
  experimentId: Type.String(),
  variant: Type.String({ description: 'The price experiment variant this player is in' }),
  balances: BalancesSchema,
  items: Type.Array(ShopItemSchema),
  starsProducts: Type.Array(StarsProductSchema),
  promotions: Type.Array(PromotionSchema),
  season: Type.Union([SeasonSchema, Type.Null()], { description: 'The season running now (the banner counts down to its end), null between seasons' }),
  serverTime: Type.String({ format: 'date-time', description: "The server's clock when answering: countdowns correct the device's clock by it" }),
});
export type ShopDto = Static<typeof ShopSchema>;

export const PurchaseBodySchema = Type.Object(
  {
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
  },
  { additionalProperties: false },
);

const PurchaseSchema = Type.Object({
  id: Type.String(),
  itemId: Type.Enum(ITEM_IDS),
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: Type.Integer(),
  totalPrice: Type.Integer(),
  currency: Type.Literal('coins'),
  promotionId: Type.Union([Type.String(), Type.Null()]),
  discountPercent: Type.Integer(),
  experimentId: Type.String(),
  variant: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PurchaseDto = Static<typeof PurchaseSchema>;

export const PurchaseResultSchema = Type.Object({
  purchase: PurchaseSchema,
  balances: Type.Object(
    { coins: Type.Integer({ minimum: 0 }), debt: Type.Integer({ minimum: 0 }) },
    { description: 'Coins right after this purchase (a replay returns the same); debt now' },
  ),
  inventory: InventorySchema,
  replayed: Type.Boolean({ description: 'True when this Idempotency-Key was already used: nothing changed' }),
});
export type PurchaseResultDto = Static<typeof PurchaseResultSchema>;

export const CreateInvoiceBodySchema = Type.Object({ productId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const StarsInvoiceSchema = Type.Object({
  orderId: Type.String(),
  invoiceLink: Type.String({ description: 'Open with Telegram.WebApp.openInvoice' }),
  productId: Type.String(),
  stars: Type.Integer({ minimum: 1 }),
});
export type StarsInvoiceDto = Static<typeof StarsInvoiceSchema>;

export const OrderParamsSchema = Type.Object({ orderId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const StarsOrderSchema = Type.Object({
  orderId: Type.String(),
  productId: Type.String(),
  stars: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('refunded')]),
  createdAt: Type.String({ format: 'date-time' }),
  paidAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  refundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type StarsOrderDto = Static<typeof StarsOrderSchema>;

const StarPaymentSchema = Type.Object({
  chargeId: Type.String(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  playerId: Type.Union([Type.String(), Type.Null()]),
  telegramId: Type.Number(),
  stars: Type.Integer(),
  payload: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  refundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const StarPaymentListSchema = Type.Object({ items: Type.Array(StarPaymentSchema) });
export const StarPaymentQuerySchema = Type.Object(
  {
    playerId: Type.Optional(IdSchema),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1–100, default 50' })),
  },
  { additionalProperties: false },
);
export const ChargeParamsSchema = Type.Object(
  // Printable ASCII, as Telegram's charge ids are: a NUL would reach the query (a 500 on Postgres).
  { chargeId: Type.String({ minLength: 1, maxLength: 256, pattern: '^[!-~]+$' }) },
  { additionalProperties: false },
);

export const RefundResultSchema = Type.Object({
  chargeId: Type.String(),
  alreadyRefunded: Type.Boolean({ description: 'True when it had been refunded before: nothing changed' }),
  coinsTaken: Type.Integer({ description: 'Coins taken back from the wallet' }),
  itemsTaken: Type.Record(Type.String(), Type.Integer()),
  debtAdded: Type.Integer({ description: 'Coins added to the player’s debt for what was already spent' }),
});

export const ReconciliationSchema = Type.Object({
  checkedAt: Type.String({ format: 'date-time' }),
  telegramTransactions: Type.Integer(),
  localPayments: Type.Integer(),
  differences: Type.Array(
    Type.Object({
      chargeId: Type.String(),
      problem: Type.Enum(['missing_locally', 'missing_at_telegram', 'amount_mismatch', 'refund_missing_locally', 'refund_missing_at_telegram'] as const),
      telegramAmount: Type.Union([Type.Integer(), Type.Null()]),
      localAmount: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});

const QuestSchema = Type.Object({
  id: Type.String(),
  templateId: Type.String({ description: 'What to do (i18n key quest.<templateId>)' }),
  period: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
  target: Type.Integer({ minimum: 1 }),
  progress: Type.Integer({ minimum: 0 }),
  rewardCoins: Type.Integer({ minimum: 0 }),
  completed: Type.Boolean(),
  claimed: Type.Boolean(),
  current: Type.Boolean({ description: 'False for a quest of a past period (it can still be claimed)' }),
  endsAt: Type.String({ format: 'date-time', description: 'When its period ends (local midnight)' }),
});
export type QuestDto = Static<typeof QuestSchema>;

export const QuestParamsSchema = Type.Object({ questId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const QuestClaimSchema = Type.Object({ quest: QuestSchema, balances: BalancesSchema });
export type QuestClaimDto = Static<typeof QuestClaimSchema>;

export const ProgressSchema = Type.Object({
  day: Type.Integer({ description: 'My local game day number' }),
  dayEndsAt: Type.String({ format: 'date-time' }),
  weekEndsAt: Type.String({ format: 'date-time' }),
  streak: Type.Object({
    daily: Type.Object({
      current: Type.Integer({ minimum: 0, description: 'Days in a row with care (0 when broken)' }),
      best: Type.Integer({ minimum: 0 }),
      countedToday: Type.Boolean(),
      nextRewardCoins: Type.Integer({ minimum: 0 }),
      freezes: Type.Integer({ minimum: 0, description: 'Streak freezes held: each saves one missed day' }),
      freezesUsed: Type.Integer({ minimum: 0 }),
    }),
    weekly: Type.Object({
      current: Type.Integer({ minimum: 0, description: 'Weeks in a row with care on enough days' }),
      best: Type.Integer({ minimum: 0 }),
      daysThisWeek: Type.Integer({ minimum: 0 }),
      daysNeeded: Type.Integer({ minimum: 1 }),
    }),
  }),
  quests: Type.Array(QuestSchema),
  achievements: Type.Array(
    Type.Object({
      id: Type.String({ description: 'i18n key achievement.<id>' }),
      unlocked: Type.Boolean(),
      unlockedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      rewardCoins: Type.Integer(),
      rewardItems: Type.Array(ItemGrantSchema),
      current: Type.Integer({ minimum: 0 }),
      target: Type.Integer({ minimum: 1 }),
    }),
  ),
});
export type ProgressDto = Static<typeof ProgressSchema>;

// ---------------------------------------------------------------------------------------
// Leaderboards (shared/leaderboards.ts, docs/adr/0015-leaderboards.md)

export const LeaderboardIdSchema = Type.Enum(LEADERBOARD_IDS, { description: 'streak, game_<minigame>, achievements or pet_age' });

export const LeaderboardParamsSchema = Type.Object({ board: LeaderboardIdSchema }, { additionalProperties: false });

export const LeaderboardQuerySchema = Type.Object(
  {
    period: Type.Optional(Type.Enum(LEADERBOARD_PERIODS, { default: 'all', description: 'weekly: the current UTC game week (Monday to Sunday)' })),
    scope: Type.Optional(Type.Enum(LEADERBOARD_SCOPES, { default: 'global', description: 'friends: my friends and me' })),
    // Query strings are not coerced (server/app.ts): digits by pattern.
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: `1–${LEADERBOARD_PAGE_MAX}, default ${LEADERBOARD_PAGE_MAX}` })),
    offset: Type.Optional(Type.String({ pattern: '^(10000|[1-9][0-9]{0,3}|0)$', description: `0–${LEADERBOARD_OFFSET_MAX}, default 0` })),
  },
  { additionalProperties: false },
);

const LeaderboardUnitSchema = Type.Union([Type.Literal('days'), Type.Literal('points'), Type.Literal('achievements')]);

const LeaderboardEntrySchema = Type.Object({
  rank: Type.Integer({ minimum: 1, description: 'One plus the players with a strictly better score (ties share a rank)' }),
  playerId: Type.Optional(Type.String({ description: 'Only for me and in the friends scope' })),
  displayName: Type.String({ description: 'First name' }),
  username: Type.Union([Type.String(), Type.Null()]),
  petName: Type.Union([Type.String(), Type.Null()], { description: 'The oldest pet' }),
  score: Type.Integer({ description: 'Days (streak, pet age), points or achievements' }),
  isMe: Type.Boolean(),
});
export type LeaderboardEntryDto = Static<typeof LeaderboardEntrySchema>;

export const LeaderboardSchema = Type.Object({
  board: LeaderboardIdSchema,
  period: Type.Enum(LEADERBOARD_PERIODS),
  scope: Type.Enum(LEADERBOARD_SCOPES),
  unit: LeaderboardUnitSchema,
  total: Type.Integer({ minimum: 0, description: 'Players on the board in this period and scope' }),
  entries: Type.Array(LeaderboardEntrySchema),
  me: Type.Union([Type.Object({ rank: Type.Integer({ minimum: 1 }), score: Type.Integer() }), Type.Null()], { description: 'Null when I have no score here' }),
});
export type LeaderboardDto = Static<typeof LeaderboardSchema>;

export const LeaderboardListSchema = Type.Object({
  boards: Type.Array(
    Type.Object({
      id: LeaderboardIdSchema,
      unit: LeaderboardUnitSchema,
      periods: Type.Array(Type.Enum(LEADERBOARD_PERIODS)),
    }),
  ),
  weekEndsAt: Type.String({ format: 'date-time', description: 'When the current week of the weekly boards ends' }),
});
export type LeaderboardListDto = Static<typeof LeaderboardListSchema>;


// ---------------------------------------------------------------------------------------------
// Admin: players (search, the player page, coins, renaming pets) and promotions (#13).
// ---------------------------------------------------------------------------------------------

export const AdminPlayerSearchQuerySchema = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[^\\u0000-\\u001f]+$',
      description: 'A Telegram id (exact), a username (prefix, with or without @), an invite code (exact) or a pet name (prefix); case-insensitive',
    }),
    limit: Type.Optional(Type.String({ pattern: '^(50|[1-4][0-9]|[1-9])$', description: '1–50, default 20' })),
    cursor: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: '`nextCursor` of the previous page' })),
  },
  { additionalProperties: false },
);

const AdminPlayerRowSchema = Type.Object({
  playerId: Type.String(),
  telegramId: Type.Integer(),
  firstName: Type.String(),
  lastName: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  inviteCode: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  banned: Type.Boolean(),
  petCount: Type.Integer({ minimum: 0 }),
  firstPetName: Type.Union([Type.String(), Type.Null()], { description: 'The name of the oldest pet' }),
  matchedBy: Type.Enum(['telegram_id', 'invite_code', 'username', 'pet_name'] as const),
});
export type AdminPlayerRowDto = Static<typeof AdminPlayerRowSchema>;

export const AdminPlayerSearchSchema = Type.Object({
  items: Type.Array(AdminPlayerRowSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AdminPlayerSearchDto = Static<typeof AdminPlayerSearchSchema>;

export const AdminPlayerPageQuerySchema = Type.Object(
  { ledgerLimit: Type.Optional(Type.String({ pattern: '^(200|1[0-9]{2}|[1-9][0-9]?)$', description: 'Ledger entries shown, 1–200, default 50' })) },
  { additionalProperties: false },
);

const AdminPictureSchema = Type.Object({
  status: Type.Enum(['ready', 'queued', 'running', 'failed', 'none'] as const),
  url: Type.Union([Type.String(), Type.Null()], { description: 'The bytes (GET, no auth needed), as the Mini App loads them; null when not ready' }),
});

const AdminPetSchema = Type.Object({ ...PetSchema.properties, picture: AdminPictureSchema });

const AdminPlayerFlagSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'What raised it (docs/moderation.md)' }),
  severity: Type.Enum(['low', 'medium', 'high'] as const),
  status: Type.Enum(['open', 'cleared', 'warned', 'banned', 'excluded'] as const),
  count: Type.Integer({ minimum: 1, description: 'Sightings while open' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
});

export const AdminPlayerPageSchema = Type.Object({
  player: Type.Object({
    id: Type.String(),
    telegramId: Type.Integer(),
    firstName: Type.String(),
    lastName: Type.Union([Type.String(), Type.Null()]),
    username: Type.Union([Type.String(), Type.Null()]),
    languageCode: Type.String(),
    inviteCode: Type.String(),
    utcOffsetMinutes: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    banned: Type.Boolean(),
    bannedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    banReason: Type.Union([Type.String(), Type.Null()]),
    leaderboardExcludedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
  pets: Type.Array(AdminPetSchema),
  inventory: InventorySchema,
  ledger: Type.Array(
    Type.Object({
      transactionId: Type.String(),
      at: Type.String({ format: 'date-time' }),
      reason: Type.String(),
      amount: Type.Integer({ description: 'Coins into (+) or out of (−) the wallet' }),
      balanceAfter: Type.Integer({ description: 'The wallet right after this entry' }),
      meta: Type.Unknown(),
    }),
    { description: 'The last wallet entries, newest first' },
  ),
  starsOrders: Type.Array(
    Type.Object({
      id: Type.String(),
      productId: Type.String(),
      stars: Type.Integer(),
      status: Type.Enum(['pending', 'paid', 'refunded'] as const),
      chargeId: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String({ format: 'date-time' }),
      paidAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      refundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  starsPayments: Type.Array(
    Type.Object({
      chargeId: Type.String({ description: 'For POST /admin/stars/payments/:chargeId/refund' }),
      orderId: Type.Union([Type.String(), Type.Null()]),
      stars: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      refundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  friends: Type.Array(Type.Object({ playerId: Type.String(), name: Type.String() })),
  notifications: Type.Union(
    [
      Type.Object({
        allowed: Type.Boolean({ description: "Telegram's permission to write to the player" }),
        muted: Type.Boolean({ description: 'The player turned all notifications off' }),
        switchesOff: Type.Array(Type.String()),
        unreachableAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The bot was blocked then' }),
      }),
      Type.Null(),
    ],
    { description: 'Null when the player never opened the notification settings nor was written to' },
  ),
  flags: Type.Array(AdminPlayerFlagSchema, { description: 'Anti-fraud flags (fraud_flags), open and decided, last seen first (at most 50)' }),
});
export type AdminPlayerPageDto = Static<typeof AdminPlayerPageSchema>;

export const AdminCoinsBodySchema = Type.Object(
  {
    amount: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, description: 'Coins to grant (+) or take (−); never 0 (400 VALIDATION_FAILED)' }),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
    idempotencyKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,128}$', description: 'Or the Idempotency-Key header' })),
  },
  { additionalProperties: false },
);

export const AdminCoinsResultSchema = Type.Object({
  transactionId: Type.String(),
  amount: Type.Integer(),
  balances: BalancesSchema,
  replayed: Type.Boolean({ description: 'The key was used before: nothing changed (transactionId is the first one, balances are the current ones)' }),
});
export type AdminCoinsResultDto = Static<typeof AdminCoinsResultSchema>;

export const AdminRenamePetSchema = Type.Object(
  {
    name: CreatePetSchema.properties.name,
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const RenamePetSchema = Type.Object({ name: CreatePetSchema.properties.name }, { additionalProperties: false });

export const PromotionParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }) }, { additionalProperties: false });

const PromotionTitleSchema = Type.String({ minLength: 1, maxLength: 80 });
const PromotionDiscountSchema = Type.Integer({ minimum: 1, maximum: 90 });
const PromotionItemSchema = Type.Union([Type.Enum(ITEM_IDS), Type.Null()], { description: 'One catalog item; exactly one of itemId and kind' });
const PromotionKindSchema = Type.Union([Type.Enum(ITEM_KINDS), Type.Null()], { description: 'Every item of a kind; exactly one of itemId and kind' });

export const AdminPromotionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  discountPercent: Type.Integer({ minimum: 1, maximum: 90 }),
  itemId: Type.Union([Type.Enum(ITEM_IDS), Type.Null()]),
  kind: Type.Union([Type.Enum(ITEM_KINDS), Type.Null()]),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  status: Type.Enum(['scheduled', 'running', 'ended'] as const),
});
export type AdminPromotionDto = Static<typeof AdminPromotionSchema>;

export const AdminPromotionListSchema = Type.Object({ items: Type.Array(AdminPromotionSchema) });

export const AdminPromotionCreateSchema = Type.Object(
  {
    title: PromotionTitleSchema,
    discountPercent: PromotionDiscountSchema,
    itemId: Type.Optional(PromotionItemSchema),
    kind: Type.Optional(PromotionKindSchema),
    startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default now; a start in the past starts it now' })),
    endsAt: Type.String({ format: 'date-time', description: 'In the future, after startsAt, at most 90 days after it' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AdminPromotionCreateBody = Static<typeof AdminPromotionCreateSchema>;

export const AdminPromotionPatchSchema = Type.Object(
  {
    title: Type.Optional(PromotionTitleSchema),
    discountPercent: Type.Optional(PromotionDiscountSchema),
    itemId: Type.Optional(PromotionItemSchema),
    kind: Type.Optional(PromotionKindSchema),
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AdminPromotionPatchBody = Static<typeof AdminPromotionPatchSchema>;

export const AdminPromotionEndSchema = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const AdminPromotionPreviewBodySchema = Type.Object(
  {
    title: Type.Optional(PromotionTitleSchema),
    discountPercent: PromotionDiscountSchema,
    itemId: Type.Optional(PromotionItemSchema),
    kind: Type.Optional(PromotionKindSchema),
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time' })),
    promotionId: Type.Optional(Type.String({ maxLength: 64, description: 'Previewing an edit: this promotion is left out of the running ones' })),
  },
  { additionalProperties: false },
);
export type AdminPromotionPreviewBody = Static<typeof AdminPromotionPreviewBodySchema>;

export const AdminPromotionPreviewSchema = Type.Object({
  experimentId: Type.String(),
  items: Type.Array(
    Type.Object({
      itemId: Type.Enum(ITEM_IDS),
      kind: Type.Enum(ITEM_KINDS),
      prices: Type.Array(
        Type.Object({
          variant: Type.String({ description: 'Price experiment variant' }),
          stage: Type.Enum(STAGES, { description: "Stage of the player's most grown pet" }),
          basePrice: Type.Integer({ description: 'Without any promotion' }),
          currentPrice: Type.Integer({ description: 'Now, with the promotions running now' }),
          promotedPrice: Type.Integer({ description: 'With the draft and the promotions running now (the best one applies)' }),
          draftApplies: Type.Boolean({ description: 'False when a running promotion is better than the draft' }),
        }),
      ),
    }),
  ),
});
export type AdminPromotionPreviewDto = Static<typeof AdminPromotionPreviewSchema>;

// --- Admin dashboard (GET /admin/dashboard) -------------------------------------------------

const DashboardCount = Type.Integer({ minimum: 0 });
/** Milliseconds, or null before there is anything to measure. */
const DashboardMs = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

export const AdminDashboardSchema = Type.Object({
  at: Type.String({ format: 'date-time', description: "The server's clock when the figures were read" }),
  day: Type.String({ description: 'The UTC day of `at` (YYYY-MM-DD) that `today` counts' }),
  processId: Type.String({ description: 'The process that answered: `process` figures are its own' }),
  live: Type.Object(
    {
      scope: Type.Union([Type.Literal('cluster'), Type.Literal('process')]),
      rooms: DashboardCount,
      clients: Type.Integer({ minimum: 0, description: 'Connections to home rooms (owners and spectators)' }),
      ownersOnline: DashboardCount,
      spectators: DashboardCount,
      processes: Type.Integer({ minimum: 1, description: 'Processes whose rooms are counted' }),
      unreachable: Type.Array(Type.String(), { description: 'Processes that did not answer (their rooms are not counted)' }),
    },
    { description: 'From the room inspector: every process of the cluster with REDIS_URL, else this process' },
  ),
  process: Type.Object(
    {
      loadedPets: DashboardCount,
      tickHz: Type.Number(),
      tick: Type.Object({
        lastMs: DashboardMs,
        p50Ms: DashboardMs,
        p99Ms: DashboardMs,
        ticks: Type.Integer({ minimum: 0, description: 'Ticks measured since the process started (the quantiles are over all of them)' }),
      }),
      uptimeSeconds: Type.Number({ minimum: 0 }),
    },
    { description: 'This process only' },
  ),
  queues: Type.Object({
    images: Type.Union([Type.Object({ kind: Type.String(), waiting: DashboardCount, active: DashboardCount, delayed: DashboardCount, failed: DashboardCount }), Type.Null()], {
      description: 'The image job queue (Bull: shared by the cluster); null when it did not answer',
    }),
    eventRelayLagSeconds: Type.Record(Type.String(), Type.Number(), { description: "Per consumer: the oldest event not handed to it yet, as this process's relay last saw it" }),
  }),
  errors: Type.Object(
    {
      windowSeconds: Type.Integer({ minimum: 1 }),
      http5xxRecent: Type.Integer({ minimum: 0, description: 'Responses with a 5xx status in the last `windowSeconds`, this process' }),
      http5xxTotal: Type.Integer({ minimum: 0, description: 'Since this process started' }),
    },
    { description: 'This process only' },
  ),
  today: Type.Object(
    {
      computedAt: Type.String({ format: 'date-time', description: 'The figures are read at most every few seconds per process' }),
      newPlayers: DashboardCount,
      purchases: Type.Integer({ minimum: 0, description: 'Shop purchases with coins' }),
      purchaseCoins: DashboardCount,
      starsPayments: DashboardCount,
      starsGross: DashboardCount,
      starsRefunded: DashboardCount,
      starsNet: Type.Integer(),
    },
    { description: 'The whole game, the UTC day of `at` so far (players and the event log)' },
  ),
});
export type AdminDashboardDto = Static<typeof AdminDashboardSchema>;
// Moderation and the anti-fraud review (issue #13; docs/moderation.md)
// ---------------------------------------------------------------------------------------

/** A UUID (ids the server makes with randomUUID). */
const UuidSchema = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
/** `<epoch ms>:<id>` of the last item of the previous page. */
const PageCursorSchema = Type.String({ pattern: '^[0-9]{1,15}:[A-Za-z0-9_-]{1,64}$', description: 'The nextCursor of the previous page' });
const PageLimitSchema = Type.String({ pattern: '^(?:[1-9][0-9]?|100)$', description: '1–100, default 50' });
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const REPORT_REASONS = ['name', 'picture', 'other'] as const;
export type ReportReasonDto = (typeof REPORT_REASONS)[number];

export const CreateReportSchema = Type.Object(
  {
    reason: Type.Enum(REPORT_REASONS, { description: 'What is wrong: the name, the picture, or something else' }),
    // Read by moderators: no control characters.
    note: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]*$' })),
  },
  { additionalProperties: false },
);
export type CreateReportBody = Static<typeof CreateReportSchema>;

export const ReportSchema = Type.Object({
  id: Type.String(),
  petId: Type.String(),
  reason: Type.Enum(REPORT_REASONS),
  /** False when the reporter had reported this pet before: the first report is returned, nothing is stored. */
  created: Type.Boolean(),
  createdAt: DateTime,
});
export type ReportDto = Static<typeof ReportSchema>;

export const ModerationQueueQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(['open', 'resolved'] as const, { description: 'Default open' })),
    kind: Type.Optional(Type.Enum(['report', 'name'] as const, { description: 'Reports grouped per pet (default), or names the word filter refused' })),
    limit: Type.Optional(PageLimitSchema),
    cursor: Type.Optional(PageCursorSchema),
  },
  { additionalProperties: false },
);

const ReportGroupSchema = Type.Object({
  kind: Type.Literal('report'),
  petId: Type.String(),
  petName: Type.String(),
  ownerId: Type.String(),
  ownerName: Type.String(),
  /** The picture the pet shows now (null: none, the Mini App draws it). */
  pictureId: NullableString,
  pictureUrl: NullableString,
  /** A picture of this pet hidden by a moderator (the newest), for an appeal. */
  hiddenPictureId: NullableString,
  /** Its bytes for moderators: `/admin/images/<id>` (needs the admin Bearer token). */
  hiddenPictureUrl: NullableString,
  reporters: Type.Integer({ minimum: 1 }),
  reasons: Type.Object({ name: Type.Integer(), picture: Type.Integer(), other: Type.Integer() }),
  firstReportedAt: DateTime,
  lastReportedAt: DateTime,
});

const NameAttemptSchema = Type.Object({
  kind: Type.Literal('name'),
  id: Type.String(),
  playerId: Type.String(),
  playerName: Type.String(),
  /** Where it was typed: adopt (or rename). */
  context: Type.String(),
  text: Type.String(),
  status: Type.Enum(['open', 'resolved'] as const),
  createdAt: DateTime,
});

export const ModerationQueueSchema = Type.Object({
  items: Type.Array(Type.Union([ReportGroupSchema, NameAttemptSchema])),
  nextCursor: NullableString,
});
export type ModerationQueueDto = Static<typeof ModerationQueueSchema>;

export const ReportParamsSchema = Type.Object({ reportId: UuidSchema }, { additionalProperties: false });
export const NameAttemptParamsSchema = Type.Object({ attemptId: UuidSchema }, { additionalProperties: false });
export const ModerationPetParamsSchema = Type.Object({ petId: UuidSchema }, { additionalProperties: false });

export const UnhidePictureSchema = Type.Object(
  {
    reason: Type.String({ minLength: 3, maxLength: 500 }),
    imageId: Type.Optional(UuidSchema),
  },
  { additionalProperties: false },
);

export const ModerationResultSchema = Type.Object({
  petId: NullableString,
  /** The picture hidden or shown again (hide/unhide). */
  imageId: NullableString,
  /** The picture the pet shows now (hide: its procedural picture; null when none). */
  shownImageId: NullableString,
  resolvedReports: Type.Integer({ minimum: 0 }),
});
export type ModerationResultDto = Static<typeof ModerationResultSchema>;

export const FRAUD_KINDS = ['minigame_anomaly', 'utc_offset_changes', 'refunds', 'payment_mismatch', 'ip_burst', 'rate_limited', 'referral_cap', 'referral_address', 'referral_churn'] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];
export const FRAUD_STATUSES = ['open', 'cleared', 'warned', 'banned', 'excluded'] as const;
export const FRAUD_DECISIONS = ['clear', 'warn', 'ban', 'exclude'] as const;
export type FraudDecision = (typeof FRAUD_DECISIONS)[number];

export const FraudFlagQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(FRAUD_STATUSES, { description: 'Default open' })),
    kind: Type.Optional(Type.Enum(FRAUD_KINDS)),
    playerId: Type.Optional(UuidSchema),
    limit: Type.Optional(PageLimitSchema),
    cursor: Type.Optional(PageCursorSchema),
  },
  { additionalProperties: false },
);

export const FraudFlagSchema = Type.Object({
  id: Type.String(),
  playerId: Type.String(),
  playerName: Type.String(),
  kind: Type.Enum(FRAUD_KINDS),
  severity: Type.Enum(['low', 'medium', 'high'] as const),
  /** The latest evidence (JSON, ≤ 2 KiB). */
  evidence: Type.Unknown(),
  /** How many times the behaviour was seen while the flag was open. */
  count: Type.Integer({ minimum: 1 }),
  status: Type.Enum(FRAUD_STATUSES),
  decidedBy: NullableString,
  decidedAt: NullableDateTime,
  decisionReason: NullableString,
  firstSeenAt: DateTime,
  lastSeenAt: DateTime,
});
export type FraudFlagDto = Static<typeof FraudFlagSchema>;

export const FraudFlagListSchema = Type.Object({ items: Type.Array(FraudFlagSchema), nextCursor: NullableString });

export const FraudFlagParamsSchema = Type.Object({ flagId: UuidSchema }, { additionalProperties: false });

export const FraudDecisionSchema = Type.Object(
  {
    decision: Type.Enum(FRAUD_DECISIONS, { description: 'clear and warn: moderators; ban: admins only; exclude: off the leaderboards' }),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const FraudDecisionResultSchema = Type.Object({
  flag: FraudFlagSchema,
  /** warn: whether a bot message was sent (false: recorded only; the player has no reachable chat). */
  messaged: Type.Boolean(),
});

// --- Players and promotions (the panel's screens): leaderboard exclusion -----------------------

export const AdminLeaderboardExclusionSchema = Type.Object(
  {
    excluded: Type.Boolean({ description: 'true: remove from every board; false: put back (a banned player stays hidden until unbanned)' }),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const AdminLeaderboardExclusionResultSchema = Type.Object({
  playerId: Type.String(),
  leaderboardExcludedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  changed: Type.Boolean({ description: 'False when the player was already so (nothing audited)' }),
});
export type AdminLeaderboardExclusionResultDto = Static<typeof AdminLeaderboardExclusionResultSchema>;

// --- Collection book and seasons (ADR 0017) ----------------------------------------------------

const SkinSourceSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('shop') }),
    Type.Object({ kind: Type.Literal('stars'), productId: Type.String(), stars: Type.Integer({ minimum: 1 }) }),
    Type.Object({ kind: Type.Literal('season_now'), seasonId: Type.String(), endsAt: Type.String({ format: 'date-time' }) }),
    Type.Object({ kind: Type.Literal('season_upcoming'), seasonId: Type.String(), startsAt: Type.String({ format: 'date-time' }) }),
    Type.Object({ kind: Type.Literal('season_past'), seasonId: Type.String() }),
    Type.Object({ kind: Type.Literal('unavailable') }),
  ],
  { description: 'How the skin is had now: the shop, Stars, its season (running, coming, gone), or not at all' },
);

const CollectionSkinSchema = Type.Object({
  itemId: Type.Enum(ITEM_IDS),
  skin: Type.String(),
  rarity: Type.Enum(RARITIES),
  seasonId: Type.Union([Type.String(), Type.Null()]),
  owned: Type.Boolean({ description: 'I hold the skin item (inventory quantity > 0)' }),
  source: SkinSourceSchema,
});
export type CollectionSkinDto = Static<typeof CollectionSkinSchema>;

const CollectionSeasonSchema = Type.Object({
  id: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('past'), Type.Literal('current'), Type.Literal('upcoming')]),
  itemIds: Type.Array(Type.Enum(ITEM_IDS), { description: "The season's skins, in catalog order" }),
});

const CollectionSetSchema = Type.Object({
  id: Type.String(),
  seasonId: Type.Union([Type.String(), Type.Null()]),
  itemIds: Type.Array(Type.Enum(ITEM_IDS)),
  owned: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 1 }),
  rewardCoins: Type.Integer({ minimum: 1 }),
  complete: Type.Boolean(),
  claimed: Type.Boolean(),
  claimedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type CollectionSetDto = Static<typeof CollectionSetSchema>;

export const CollectionSchema = Type.Object({
  skins: Type.Array(CollectionSkinSchema, { description: 'Every skin in the catalog, in catalog order' }),
  rarities: Type.Array(Type.Object({ rarity: Type.Enum(RARITIES), itemIds: Type.Array(Type.Enum(ITEM_IDS)) }), { description: 'Skins grouped by rarity, commonest first' }),
  seasons: Type.Array(CollectionSeasonSchema, { description: 'Every season, oldest first, with its skins' }),
  sets: Type.Array(CollectionSetSchema),
  owned: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
  serverTime: Type.String({ format: 'date-time' }),
});
export type CollectionDto = Static<typeof CollectionSchema>;

export const CollectionSetParamsSchema = Type.Object({ setId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) }, { additionalProperties: false });

export const CollectionClaimSchema = Type.Object({ set: CollectionSetSchema, rewardCoins: Type.Integer({ minimum: 1 }), balances: BalancesSchema });
export type CollectionClaimDto = Static<typeof CollectionClaimSchema>;
// --- Referrals (docs/ECONOMY.md, "Referrals") -------------------------------------------------

/** POST /api/v1/pets: the adopted pet, and the referral reward this adoption paid the player, if any. */
export const AdoptedPetSchema = Type.Object({
  ...PetSchema.properties,
  referralReward: Type.Optional(
    Type.Object({
      coins: Type.Integer({ minimum: 1, description: 'Coins paid to the new player for arriving through a friend’s link' }),
      friendName: Type.String({ description: 'The first name of the friend whose link brought the player' }),
    }),
  ),
});
export type AdoptedPetDto = Static<typeof AdoptedPetSchema>;
// ---------------------------------------------------------------------------------------------
// Pet album (#14): every ready picture a pet had, newest first, keyset-paged.
// ---------------------------------------------------------------------------------------------

/** Most pictures on one album page, and how many a page has by default. */
export const ALBUM_PAGE_MAX = 50;
export const ALBUM_PAGE_DEFAULT = 20;

export const AlbumQuerySchema = Type.Object(
  {
    // Query strings are not coerced (server/app.ts): digits by pattern.
    limit: Type.Optional(Type.String({ pattern: '^(50|[1-4][0-9]|[1-9])$', description: `1–${ALBUM_PAGE_MAX}, default ${ALBUM_PAGE_DEFAULT}` })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: '`nextCursor` of the previous page (opaque); any other → 400 CURSOR_INVALID' })),
  },
  { additionalProperties: false },
);

export const AlbumPetSchema = Type.Object({
  id: Type.String(),
  ownerId: Type.String(),
  name: Type.String(),
  species: Type.Enum(SPECIES),
  stage: Type.Enum(STAGES),
  adultForm: Type.Enum(ADULT_FORMS),
  skin: Type.String({ description: 'The coat it wears now' }),
  ageSeconds: Type.Number({ description: 'Game seconds since birth' }),
  bornAt: Type.String({ format: 'date-time' }),
  picture: Type.Union([Type.Object({ id: Type.String(), url: Type.String() }), Type.Null()], {
    description: 'The picture it shows now (its stage, form and coat; never a hidden one), on this page or not; null while it has none',
  }),
});
export type AlbumPetDto = Static<typeof AlbumPetSchema>;

export const AlbumPictureSchema = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'The immutable GET /api/v1/images/:imageId' }),
  stage: Type.Enum(STAGES),
  adultForm: Type.Enum(ADULT_FORMS, { description: "The adult form it shows ('none' before adulthood)" }),
  skin: Type.String({ description: "The coat: 'default' or a skin id" }),
  provider: Type.Union([Type.Literal('ai'), Type.Literal('procedural')], { description: 'ai: a model painted it; procedural: the built-in SVG renderer' }),
  regenerated: Type.Boolean({ description: 'The owner asked for it ("New picture")' }),
  createdAt: Type.String({ format: 'date-time', description: 'When it was asked for' }),
  readyAt: Type.String({ format: 'date-time', description: 'When it was ready: the album is ordered by it' }),
  current: Type.Boolean({ description: 'The picture the pet shows now' }),
});
export type AlbumPictureDto = Static<typeof AlbumPictureSchema>;

export const AlbumSchema = Type.Object({
  pet: AlbumPetSchema,
  items: Type.Array(AlbumPictureSchema),
  total: Type.Integer({ minimum: 0, description: 'Pictures in the album now (grows while pictures are made)' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});
export type AlbumDto = Static<typeof AlbumSchema>;


// --- Share cards and the public share page (ADR 0018) ---------------------------------------------

export const CARD_FORMATS = ['story', 'preview'] as const;
export type CardFormatDto = (typeof CARD_FORMATS)[number];

export const CardQuerySchema = Type.Object(
  {
    format: Type.Optional(Type.Enum(CARD_FORMATS, { description: 'story: 1080×1920 (default); preview: 1200×630' })),
    v: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The content hash of the immutable URL' })),
  },
  { additionalProperties: false },
);

export const ShareCodeParamsSchema = Type.Object(
  { shareCode: Type.String({ pattern: '^[A-Za-z0-9_-]{12}$', description: 'A pet share code' }) },
  { additionalProperties: false },
);

export const ShareInfoSchema = Type.Object({
  /** The pet's public code (given on first share, stable). */
  shareCode: Type.String(),
  /** The public page, absolute. */
  pageUrl: Type.String(),
  /** The story card's immutable URL (1080×1920), absolute. */
  storyCardUrl: Type.String(),
  /** The link-preview card's immutable URL (1200×630), absolute. */
  previewCardUrl: Type.String(),
  /** Opens the Mini App with the owner's referral (`startapp=ref_<inviteCode>`); null without a configured bot username. */
  botLink: Type.Union([Type.String(), Type.Null()]),
  inviteCode: Type.String(),
});
export type ShareInfoDto = Static<typeof ShareInfoSchema>;

export const PreparedShareSchema = Type.Object({
  /** For WebApp.shareMessage (Bot API 8.0). */
  preparedMessageId: Type.String(),
});
export type PreparedShareDto = Static<typeof PreparedShareSchema>;
