/**
 * The Telegram bot (grammY), fed by the webhook route: /start answers with a button that
 * opens the Mini App (carrying a referral or start parameter), and payments in Stars go to
 * the Stars service. Handler errors propagate to the webhook, which then answers 5xx so
 * Telegram delivers the update again.
 */
import { Bot, InlineKeyboard, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { pickLanguage, translate } from '../../shared/i18n.js';
import type { Metrics } from '../metrics.js';
import type { StarsBotApi, StarsService } from '../services/stars-service.js';
import type { ShareBotApi } from '../services/card-service.js';

/** What Telegram allows in a start parameter. */
const START_PARAM = /^[A-Za-z0-9_-]{1,64}$/;

function textsFor(languageCode: string | undefined) {
  const lang = pickLanguage(languageCode);
  return {
    welcome: translate(lang, 'bot.welcome'),
    invited: translate(lang, 'bot.invited'),
    open: translate(lang, 'bot.open'),
    retry: translate(lang, 'bot.retry'),
  };
}

interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  /** One Bot API call (grammY's own default is 500 s). */
  timeoutSeconds: number;
  /** Where the Mini App lives (the /start button opens it). */
  publicUrl: string;
  botUsername: string | null;
  miniAppName: string | null;
  stars: StarsService;
  /** /start, /stop and /notify: the player's bot notifications. */
  notifications: BotNotifications;
  logger: Logger;
  metrics: Metrics;
}

/** What the bot's commands change (the notification service). */
export interface BotNotifications {
  startedBot(telegramId: number): Promise<boolean>;
  stoppedBot(telegramId: number): Promise<boolean>;
  describeForBot(telegramId: number, languageCode: string | undefined): Promise<string>;
}

export interface TelegramBot {
  /** True once getMe succeeded: updates can be handled. */
  readonly ready: boolean;
  /** The Bot API, once ready. */
  api(): (StarsBotApi & ShareBotApi) | null;
  /** Calls getMe, retrying every `retryMs` until it works or `stop()`. */
  init(retryMs?: number): Promise<void>;
  handleUpdate(update: Update): Promise<void>;
  setWebhook(url: string, secret: string): Promise<void>;
  stop(): void;
}

/** Where the Mini App opens: a direct t.me link when the bot and app names are known, else its URL. */
export interface MiniAppLink {
  publicUrl: string;
  botUsername: string | null;
  miniAppName: string | null;
}

/** A button that opens the Mini App (with a start parameter: the screen, a referral). */
export function startButton(options: MiniAppLink, label: string, param: string | null): InlineKeyboard {
  if (options.botUsername && options.miniAppName) {
    const link = `https://t.me/${options.botUsername}/${options.miniAppName}${param ? `?startapp=${param}` : ''}`;
    return new InlineKeyboard().url(label, link);
  }
  const url = new URL(options.publicUrl);
  if (param) url.searchParams.set('startapp', param);
  return url.protocol === 'https:' ? new InlineKeyboard().webApp(label, url.toString()) : new InlineKeyboard().url(label, url.toString());
}

export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { logger, metrics, stars } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot, timeoutSeconds: options.timeoutSeconds } });
  let ready = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  // grammY retries getMe by itself on network errors and 5xx, sleeping up to 20 minutes
  // between tries on a ref'd timer: only aborting ends that loop (else a stopped server lives on).
  const initAbort = new AbortController();
  // grammY types the signal as the abort-controller polyfill's; at run time it takes Node's.
  const initSignal = initAbort.signal as unknown as Parameters<typeof bot.init>[0];

  bot.command('start', async (ctx) => {
    // /start lets the bot write again (also after it was blocked): a failure here must not cost the welcome.
    if (ctx.from) await options.notifications.startedBot(ctx.from.id).catch((err: unknown) => logger.warn({ err }, '/start: notifications not updated'));
    const raw = ctx.match.trim();
    const param = START_PARAM.test(raw) ? raw : null;
    const texts = textsFor(ctx.from?.language_code);
    await ctx.reply(param?.startsWith('ref_') ? texts.invited : texts.welcome, {
      reply_markup: startButton(options, texts.open, param),
    });
  });

  bot.command('stop', async (ctx) => {
    if (!ctx.from) return;
    await options.notifications.stoppedBot(ctx.from.id);
    await ctx.reply(translate(pickLanguage(ctx.from.language_code), 'bot.stopped'));
  });

  bot.command('notify', async (ctx) => {
    if (!ctx.from) return;
    await ctx.reply(await options.notifications.describeForBot(ctx.from.id, ctx.from.language_code));
  });

  bot.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    let decision: { ok: true } | { ok: false; error: string };
    try {
      decision = await stars.checkPreCheckout(query);
    } catch (err) {
      // Telegram waits 10 s for the answer: say no now rather than not at all.
      logger.error({ err, queryId: query.id }, 'pre-checkout check failed');
      decision = { ok: false, error: textsFor(query.from.language_code).retry };
    }
    if (decision.ok) await ctx.answerPreCheckoutQuery(true);
    else await ctx.answerPreCheckoutQuery(false, { error_message: decision.error });
  });

  bot.on('message:successful_payment', async (ctx: Context) => {
    const message = ctx.message;
    if (!message?.successful_payment || !message.from) return;
    const outcome = await stars.creditPayment(message.successful_payment, message.from, ctx.update.update_id);
    metrics.starsPayments.inc({ outcome: outcome.kind });
  });

  bot.on('message:refunded_payment', async (ctx: Context) => {
    const refund = ctx.message?.refunded_payment;
    if (!refund) return;
    await stars.refundedByTelegram(refund);
  });

  return {
    get ready() {
      return ready;
    },
    api: () => (ready ? bot.api : null),
    async init(retryMs = 5000) {
      for (;;) {
        try {
          await bot.init(initSignal);
          ready = true;
          logger.info({ username: bot.botInfo.username }, 'telegram bot ready');
          return;
        } catch (err) {
          if (stopped) return;
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'telegram getMe failed; retrying');
        }
        if (stopped) return;
        await new Promise<void>((resolve) => {
          retryTimer = setTimeout(resolve, retryMs);
          retryTimer.unref();
        });
        if (stopped) return;
      }
    },
    async handleUpdate(update) {
      const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
      try {
        await bot.handleUpdate(update);
        metrics.telegramUpdates.inc({ kind, outcome: 'ok' });
      } catch (err) {
        metrics.telegramUpdates.inc({ kind, outcome: 'error' });
        throw err instanceof Error && 'error' in err ? (err.error as Error) : err;
      }
    },
    async setWebhook(url, secret) {
      await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'pre_checkout_query'] });
      logger.info({ url }, 'telegram webhook set');
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      initAbort.abort();
    },
  };
}
