/**
 * The admin panel (served at /admin): the login, then the shell with the screen of the URL's
 * hash (`#/rooms/<id>`; the hash keeps panel paths apart from the JSON API under /admin/…).
 * No Phaser and nothing of the Mini App but its design tokens.
 */
import './admin.css';
import { AdminApi } from './api.js';
import { initialLanguage, onLanguageChange, setLanguage, t } from './i18n.js';
import { renderLogin } from './screens/login.js';
import { mountShell, type Shell } from './shell.js';
import { applyTheme, watchSystemTheme } from './theme.js';
import { h, toast } from './ui/index.js';

const host = document.getElementById('admin') ?? document.body.appendChild(h('div', { id: 'admin' }));
let shell: Shell | null = null;
let loginMessage: string | null = null;

const api = new AdminApi({
  onSessionLost: () => {
    if (!shell) return;
    toast(t('app.sessionEnded'), 'warn');
    loginMessage = t('app.sessionEnded');
    showLogin();
  },
});

function showLogin(): void {
  shell?.dispose();
  shell = null;
  document.body.dataset.screen = 'login';
  document.title = `${t('login.title')} · ${t('app.title')}`;
  renderLogin(host, {
    api,
    message: loginMessage,
    onSignedIn: () => {
      loginMessage = null;
      showShell(true);
    },
  });
}

function showShell(focusHeading: boolean): void {
  const account = api.account;
  if (!account) {
    showLogin();
    return;
  }
  shell?.dispose();
  shell = mountShell(host, {
    api,
    account,
    onLogout: () => {
      void api.logout();
      loginMessage = null;
      showLogin();
    },
  });
  shell.route(focusHeading);
}

window.addEventListener('hashchange', () => shell?.route(true));
onLanguageChange(() => {
  const focused = document.activeElement?.getAttribute('data-testid');
  if (shell) showShell(false);
  else showLogin();
  if (focused) document.querySelector<HTMLElement>(`[data-testid="${focused}"]`)?.focus();
});

setLanguage(initialLanguage());
applyTheme();
watchSystemTheme();
document.body.dataset.screen = 'boot';
void api.resume().then((resumed) => (resumed ? showShell(false) : showLogin()));
