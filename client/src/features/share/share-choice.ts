/**
 * How the Mini App shares a pet, best first, by what the player's Telegram supports:
 *
 * 1. `story`: `WebApp.shareToStory` (Bot API 7.8) with the story card and a widget link to
 *    the bot carrying the owner's referral;
 * 2. `message`: `WebApp.shareMessage` (8.0) with a message the server prepared
 *    (savePreparedInlineMessage);
 * 3. `download`: `WebApp.downloadFile` (8.0) of the story card;
 * 4. `link`: an older Telegram: its share sheet (`t.me/share/url`) with the public page;
 * 5. `browser`: outside Telegram, a plain download of the story card.
 *
 * A version is not enough: a client may report one and still lack the function (a desktop
 * or web client), so each method needs both. Pure: no DOM, no SDK.
 */

/** What of `window.Telegram.WebApp` the choice reads. */
export interface ShareHost {
  version?: string;
  isVersionAtLeast?: (version: string) => boolean;
  shareToStory?: (mediaUrl: string, params?: { text?: string; widget_link?: { url: string; name?: string } }) => void;
  shareMessage?: (preparedMessageId: string, callback?: (sent: boolean) => void) => void;
  downloadFile?: (params: { url: string; file_name: string }, callback?: (accepted: boolean) => void) => void;
  openTelegramLink?: (url: string) => void;
}

export type ShareMethod = 'story' | 'message' | 'download' | 'link' | 'browser';

function atLeast(host: ShareHost, version: string): boolean {
  try {
    return typeof host.isVersionAtLeast === 'function' && host.isVersionAtLeast(version) === true;
  } catch {
    return false;
  }
}

/** The best way to share on `host` (null: not inside Telegram). */
export function chooseShare(host: ShareHost | null): ShareMethod {
  if (!host) return 'browser';
  if (atLeast(host, '7.8') && typeof host.shareToStory === 'function') return 'story';
  if (atLeast(host, '8.0') && typeof host.shareMessage === 'function') return 'message';
  if (atLeast(host, '8.0') && typeof host.downloadFile === 'function') return 'download';
  return 'link';
}

/** Telegram's share sheet for a link (any client version). */
export function telegramShareUrl(url: string, text: string): string {
  return `https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`;
}

/** The file name of a downloaded card: the pet's name made safe for file systems. */
export function cardFileName(petName: string): string {
  const safe = [...petName.normalize('NFC')]
    .filter((c) => /[\p{L}\p{N} _-]/u.test(c))
    .join('')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 40);
  return `${safe || 'pet'}-telepets.png`;
}
