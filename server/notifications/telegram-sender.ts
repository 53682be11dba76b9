/**
 * Notifications over the Bot API: `sendMessage` to the player's private chat with a button
 * that opens the Mini App. Its own grammY `Api` with `@grammyjs/auto-retry`: a 429 waits
 * Telegram's `retry_after` (bounded) and tries again; errors where delivery is unknown (network,
 * 5xx) are not retried, so a message is never sent twice.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import { startButton, type MiniAppLink } from '../telegram/bot.js';
import type { NotificationSender, OutgoingMessage } from './notification-service.js';

export interface TelegramSenderOptions {
  token: string;
  apiRoot: string;
  timeoutSeconds: number;
  link: MiniAppLink;
  /** Longest retry_after waited for before giving up (the row goes back to pending). */
  maxRetryAfterSeconds?: number;
}

export function createTelegramSender(options: TelegramSenderOptions): NotificationSender {
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: options.timeoutSeconds });
  api.config.use(
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: options.maxRetryAfterSeconds ?? 30, rethrowHttpErrors: true, rethrowInternalServerErrors: true }),
  );
  return {
    async send(message: OutgoingMessage) {
      const sent = await api.sendMessage(message.chatId, message.text, {
        reply_markup: startButton(options.link, message.button.label, message.button.startParam),
        link_preview_options: { is_disabled: true },
      });
      return { messageId: sent.message_id };
    },
  };
}
