/**
 * A stand-in for `window.Telegram.WebApp` for browser tests of the Mini App as it runs inside
 * Telegram: plain JavaScript source to install with `page.addInitScript` (a serialised
 * TypeScript function would carry the test runner's helpers along). It has what the client
 * uses (client/src/telegram.ts) for a client of `version`, signed initData and a theme; an
 * accessor keeps it in place when Telegram's own script, bundled with the SDK, assigns
 * `Telegram.WebApp` as it loads.
 */
export interface StandInArgs {
  initData: string;
  user: { id: number; first_name: string; language_code: string };
  /** The Bot API version the client reports (`isVersionAtLeast` answers by it). */
  version: string;
  dark?: boolean;
  /** More values for `extend`, as `args.<name>`. */
  [more: string]: unknown;
}

const LIGHT = { bg_color: '#ffffff', secondary_bg_color: '#efeff4', section_bg_color: '#ffffff', text_color: '#000000', hint_color: '#8e8e93', link_color: '#2481cc', button_color: '#2ea6ff', button_text_color: '#ffffff', destructive_text_color: '#ff3b30' };
const DARK = { bg_color: '#17212b', secondary_bg_color: '#232e3c', section_bg_color: '#17212b', text_color: '#f5f5f5', hint_color: '#708499', link_color: '#6ab3f3', button_color: '#5288c1', button_text_color: '#ffffff', destructive_text_color: '#ec3942' };

/**
 * `extend` is JavaScript run after the stand-in is built, with `webApp`, `args`, `noop` and
 * `atLeast(version)` in scope: a test adds there what it records (the functions of newer
 * versions, an `openInvoice` probe) on `window.__<name>`.
 */
export function telegramStandIn(args: StandInArgs, extend = ''): string {
  return `(() => {
    const args = ${JSON.stringify(args)};
    const noop = () => undefined;
    const button = () => ({ isVisible: false, show: noop, hide: noop, onClick: noop, offClick: noop, setParams: noop, setText: noop, enable: noop, disable: noop });
    const atLeast = (wanted) => {
      const [a, b] = args.version.split('.').map(Number);
      const [c, d = 0] = String(wanted).split('.').map(Number);
      return a > c || (a === c && b >= d);
    };
    const webApp = {
      initData: args.initData,
      initDataUnsafe: { user: args.user, auth_date: Number(new URLSearchParams(args.initData).get('auth_date')) },
      version: args.version,
      platform: 'android',
      colorScheme: args.dark ? 'dark' : 'light',
      themeParams: args.dark ? ${JSON.stringify(DARK)} : ${JSON.stringify(LIGHT)},
      isExpanded: true,
      viewportHeight: window.innerHeight,
      viewportStableHeight: window.innerHeight,
      isVersionAtLeast: atLeast,
      ready: noop,
      expand: noop,
      close: noop,
      disableVerticalSwipes: noop,
      enableClosingConfirmation: noop,
      onEvent: noop,
      offEvent: noop,
      setHeaderColor: noop,
      setBackgroundColor: noop,
      setBottomBarColor: noop,
      openLink: noop,
      openTelegramLink: noop,
      HapticFeedback: { impactOccurred: noop, notificationOccurred: noop, selectionChanged: noop },
      BackButton: button(),
      MainButton: button(),
      SecondaryButton: button(),
      SettingsButton: button(),
    };
    ${extend}
    const telegram = window.Telegram || {};
    Object.defineProperty(telegram, 'WebApp', { get: () => webApp, set: noop, enumerable: true });
    window.Telegram = telegram;
  })();`;
}
