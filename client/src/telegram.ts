/**
 * Every call into the Telegram WebApp SDK goes through here, guarded: outside Telegram (a
 * plain browser, tests) the SDK object exists but most methods only log warnings, and some
 * throw on old client versions. Nothing else in the client imports the SDK.
 */
import TwaSdk from '@twa-dev/sdk';
import type { ShareHost } from './features/share/share-choice.js';

type TelegramWebApp = typeof TwaSdk;

/**
 * Importing the SDK runs Telegram's script, which installs `window.Telegram.WebApp`. Read it
 * from there: the SDK is CommonJS, and under `"type": "module"` the bundler's default-import
 * interop hands over the exports object (`{ default: WebApp }`) instead of WebApp itself.
 */
const WebApp: TelegramWebApp =
  (window as { Telegram?: { WebApp?: TelegramWebApp } }).Telegram?.WebApp ?? TwaSdk;

type HapticImpact = 'light' | 'medium' | 'heavy' | 'rigid' | 'soft';
type HapticNotice = 'error' | 'success' | 'warning';

/** Runs `fn` and swallows what it throws: a missing Telegram feature must never break the game. */
function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** True when the page runs inside a Telegram client that passed signed launch data. */
export function inTelegram(): boolean {
  return safely(() => typeof WebApp.initData === 'string' && WebApp.initData.length > 0, false);
}

function supports(version: string): boolean {
  return inTelegram() && safely(() => WebApp.isVersionAtLeast(version), false);
}

export function initData(): string {
  return inTelegram() ? WebApp.initData : '';
}

/**
 * The start parameter the Mini App was opened with (`startapp`): the screen a bot
 * notification's button names, or a referral. Outside Telegram, the page's `?startapp=`.
 */
export function launchParam(): string | null {
  const fromTelegram = inTelegram() ? safely(() => WebApp.initDataUnsafe.start_param ?? null, null) : null;
  const value = fromTelegram ?? new URLSearchParams(window.location.search).get('startapp');
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}

export function telegramLanguage(): string | undefined {
  return safely(() => WebApp.initDataUnsafe.user?.language_code, undefined);
}

/** Tells Telegram the app is drawn and asks for the full height; disables swipe-to-close while playing. */
export function announceReady(): void {
  if (!inTelegram()) return;
  safely(() => WebApp.ready(), undefined);
  safely(() => WebApp.expand(), undefined);
  if (supports('7.7')) safely(() => WebApp.disableVerticalSwipes(), undefined);
}

interface TelegramTheme {
  bg?: string;
  secondaryBg?: string;
  sectionBg?: string;
  text?: string;
  hint?: string;
  link?: string;
  button?: string;
  buttonText?: string;
  destructive?: string;
  dark: boolean;
}

/** The Telegram theme, or null outside Telegram (the caller then uses its own palette). */
export function telegramTheme(): TelegramTheme | null {
  if (!inTelegram()) return null;
  return safely((): TelegramTheme => {
    const p = WebApp.themeParams;
    return {
      bg: p.bg_color,
      secondaryBg: p.secondary_bg_color,
      sectionBg: p.section_bg_color,
      text: p.text_color,
      hint: p.hint_color,
      link: p.link_color,
      button: p.button_color,
      buttonText: p.button_text_color,
      destructive: p.destructive_text_color,
      dark: WebApp.colorScheme === 'dark',
    };
  }, null);
}

export function onThemeChanged(callback: () => void): void {
  if (!inTelegram()) return;
  safely(() => WebApp.onEvent('themeChanged', callback), undefined);
}

/** Paints Telegram's header and background to match the app so the chrome blends in. */
export function setChromeColors(color: `#${string}`): void {
  if (!supports('6.1')) return;
  safely(() => WebApp.setHeaderColor(color), undefined);
  safely(() => WebApp.setBackgroundColor(color), undefined);
}

export function hapticImpact(style: HapticImpact = 'light'): void {
  if (!supports('6.1')) return;
  safely(() => WebApp.HapticFeedback.impactOccurred(style), undefined);
}

export function hapticNotice(type: HapticNotice): void {
  if (!supports('6.1')) return;
  safely(() => WebApp.HapticFeedback.notificationOccurred(type), undefined);
}

let backHandler: (() => void) | null = null;
const onBack = (): void => backHandler?.();

/** Shows Telegram's back button with `handler`, or hides it when `handler` is null. */
export function setBackButton(handler: (() => void) | null): void {
  if (!supports('6.1')) return;
  safely(() => {
    if (handler) {
      if (!backHandler) WebApp.BackButton.onClick(onBack);
      backHandler = handler;
      WebApp.BackButton.show();
    } else {
      if (backHandler) WebApp.BackButton.offClick(onBack);
      backHandler = null;
      WebApp.BackButton.hide();
    }
  }, undefined);
}

/** Opens a t.me link through Telegram (share sheet, another Mini App); false outside Telegram. */
export function openTelegramLink(url: string): boolean {
  if (!inTelegram()) return false;
  return safely(() => {
    WebApp.openTelegramLink(url);
    return true;
  }, false);
}

export type InvoiceStatus = 'paid' | 'cancelled' | 'failed' | 'pending';

/** True when Telegram can show its payment sheet here (inside Telegram, Bot API 6.1+). */
export function canOpenInvoice(): boolean {
  return supports('6.1') && safely(() => typeof WebApp.openInvoice === 'function', false);
}

/**
 * Opens Telegram's payment sheet for an invoice link; `closed` gets how it ended. False when
 * the sheet cannot be shown (outside Telegram, or the call threw).
 */
export function openInvoice(link: string, closed: (status: InvoiceStatus) => void): boolean {
  if (!canOpenInvoice()) return false;
  return safely(() => {
    WebApp.openInvoice(link, (status) => closed(status));
    return true;
  }, false);
}

/**
 * What the share feature reads of Telegram: the WebApp object (null outside Telegram). The
 * choice of how to share is made on it by features/share/share-choice.ts (pure, tested).
 */
export function shareHost(): ShareHost | null {
  return inTelegram() ? WebApp : null;
}

/** Bot API 7.8: opens Telegram's story editor with `mediaUrl` (an https image) and a widget link. */
export function shareToStory(mediaUrl: string, params: { text?: string; widget_link?: { url: string; name?: string } }): boolean {
  return safely(() => {
    (WebApp as unknown as Required<Pick<ShareHost, 'shareToStory'>>).shareToStory(mediaUrl, params);
    return true;
  }, false);
}

/** Bot API 8.0: lets the user send a message the bot prepared (savePreparedInlineMessage). */
export function shareMessage(preparedMessageId: string, done: (sent: boolean) => void): boolean {
  return safely(() => {
    (WebApp as unknown as Required<Pick<ShareHost, 'shareMessage'>>).shareMessage(preparedMessageId, done);
    return true;
  }, false);
}

/** Bot API 8.0: Telegram's own download of a file (asks the user first). */
export function downloadFile(url: string, fileName: string, done: (accepted: boolean) => void): boolean {
  return safely(() => {
    (WebApp as unknown as Required<Pick<ShareHost, 'downloadFile'>>).downloadFile({ url, file_name: fileName }, done);
    return true;
  }, false);
}
