/**
 * Entry point: language and theme first (so nothing renders in the wrong language or
 * colours), then the app.
 */
import './kit/tokens.css';
import './kit/base.css';
import { App } from './app.js';
import { setLanguage } from './i18n.js';
import { normaliseLanguageCode } from './net/sign-in.js';
import { announceReady, telegramLanguage } from './telegram.js';
import { installTheme } from './theme.js';

// `?lang=ru` overrides for development; Telegram's user language wins inside Telegram.
const override = new URLSearchParams(location.search).get('lang');
setLanguage(telegramLanguage() ?? normaliseLanguageCode(override) ?? navigator.language);
installTheme();

const root = document.getElementById('app');
if (root) {
  document.title = 'Telepets';
  const app = new App(root);
  // Telegram keeps its own placeholder until ready(): hand over as soon as the splash shows.
  announceReady();
  void app.start();
}
