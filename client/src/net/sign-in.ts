/**
 * Getting signed launch data: inside Telegram it is `WebApp.initData`; in a plain browser
 * (development, tests) the server's dev sign-in endpoint signs initData for a test user.
 */
import type { ClientConfigDto, DevInitDataBody } from '../../../shared/dto.js';
import { initData as telegramInitData, inTelegram } from '../telegram.js';
import type { Api } from './api.js';
import { ClientError } from './errors.js';
import { readStorage, writeStorage } from '../storage.js';

const DEV_ID_KEY = 'telepets.devTelegramId';

export interface Session {
  initData: string;
  /** True when signed in through the dev endpoint rather than by Telegram. */
  dev: boolean;
}

/**
 * The dev user's Telegram id: `?user=<n>` picks one explicitly (two tabs, two players);
 * otherwise a random id in 1e9..2e9 is kept in localStorage so a browser stays one player.
 */
function devTelegramId(params: URLSearchParams): number {
  const fromUrl = Number(params.get('user'));
  if (Number.isSafeInteger(fromUrl) && fromUrl > 0) return fromUrl;
  const stored = Number(readStorage(DEV_ID_KEY));
  if (Number.isSafeInteger(stored) && stored > 0) return stored;
  const fresh = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  writeStorage(DEV_ID_KEY, String(fresh));
  return fresh;
}

/** A language code the server's schema accepts (`xx` or `xx-Region`), or undefined. */
export function normaliseLanguageCode(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const [base, region] = code.split(/[-_]/);
  if (!base || !/^[a-z]{2}$/i.test(base)) return undefined;
  return region && /^[A-Za-z]+$/.test(region) ? `${base.toLowerCase()}-${region}` : base.toLowerCase();
}

function devBody(params: URLSearchParams): DevInitDataBody {
  const telegramId = devTelegramId(params);
  const body: DevInitDataBody = { telegramId };
  const name = params.get('name')?.trim();
  body.firstName = name ? name.slice(0, 64) : `Player ${String(telegramId).slice(-4)}`;
  const username = params.get('username');
  if (username && /^[A-Za-z0-9_]{1,32}$/.test(username)) body.username = username;
  const languageCode = normaliseLanguageCode(params.get('lang') ?? navigator.language);
  if (languageCode) body.languageCode = languageCode;
  const startParam = params.get('startapp');
  if (startParam && /^[A-Za-z0-9_-]{1,64}$/.test(startParam)) body.startParam = startParam;
  return body;
}

/** Signs in; `refresh` is set for dev sessions, which can mint new initData when it expires. */
export async function signIn(
  api: Api,
  config: ClientConfigDto,
): Promise<{ session: Session; refresh: (() => Promise<string | null>) | null }> {
  if (inTelegram()) {
    return { session: { initData: telegramInitData(), dev: false }, refresh: null };
  }
  if (!config.devSignIn) {
    throw new ClientError('AUTH_INVALID', 'Not inside Telegram and dev sign-in is off');
  }
  const params = new URLSearchParams(location.search);
  const mint = async (): Promise<string> => (await api.devInitData(devBody(params))).initData;
  const initData = await mint();
  return { session: { initData, dev: true }, refresh: () => mint() };
}
