/**
 * The panel's frame once signed in: a skip link, the top bar (menu button on phones, the
 * language switch, theme, the account and its role, log out), the side nav (a drop-down menu
 * on phones) built from the screen registry for the account's role, and the main area where the
 * router mounts one screen at a time.
 */
import { roleAtLeast, type Account, type AdminApi } from './api.js';
import { LANGUAGES, language, setLanguage, t } from './i18n.js';
import { DEFAULT_SCREEN, SCREENS, parseHash, screenHref, type ScreenContext } from './screens.js';
import { badge, brandMark, h, replace } from './ui/index.js';
import { describeError, statusLine } from './ui/status.js';
import { currentTheme, nextTheme, setTheme } from './theme.js';

export interface ShellOptions {
  api: AdminApi;
  account: Account;
  onLogout: () => void;
}

export interface Shell {
  /** Mounts the screen of the current hash (after a hash change or a language change). */
  route(focusHeading: boolean): void;
  dispose(): void;
}

export function mountShell(host: HTMLElement, o: ShellOptions): Shell {
  let leave: (() => void) | null = null;
  let generation = 0;
  const visible = SCREENS.filter((s) => roleAtLeast(o.account.role, s.minRole));

  const main = h('main', { id: 'main', class: 'main', tabindex: -1 });
  const navList = h('ul', { class: 'nav-list' });
  // On phones the top bar has no room for the account: the menu shows it.
  const navAccount = h('p', { class: 'nav-account' }, h('span', { class: 'account-name' }, o.account.name), ' · ', t(`role.${o.account.role}`));
  const nav = h('nav', { id: 'nav', class: 'nav', 'aria-label': t('app.nav'), 'data-testid': 'nav' }, navList, navAccount);
  const menuButton = h('button', { type: 'button', class: 'menu-button', 'aria-expanded': 'false', 'aria-controls': 'nav', 'data-testid': 'menu-button' }, h('span', { class: 'menu-icon', 'aria-hidden': 'true' }), t('app.menu'));
  const setMenu = (open: boolean) => {
    menuButton.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  };
  menuButton.addEventListener('click', () => setMenu(menuButton.getAttribute('aria-expanded') !== 'true'));
  nav.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && nav.classList.contains('open')) {
      setMenu(false);
      menuButton.focus();
    }
  });

  const skip = h('a', { href: '#main', class: 'skip-link' }, t('app.skip'));
  // The hash is the router's: the skip link moves focus without touching it.
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  const langGroup = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': t('app.language') },
    ...LANGUAGES.map((lang) =>
      h(
        'button',
        {
          type: 'button',
          lang,
          'aria-pressed': String(language() === lang),
          'data-testid': `lang-${lang}`,
          onclick: () => {
            if (language() !== lang) setLanguage(lang);
          },
        },
        lang.toUpperCase(),
      ),
    ),
  );
  const themeButton = h('button', { type: 'button', class: 'icon-button', 'data-testid': 'theme', title: t('app.theme'), 'aria-label': `${t('app.theme')}: ${t(`app.theme.${currentTheme()}`)}` });
  const drawTheme = () => {
    const theme = currentTheme();
    replace(themeButton, h('span', { class: 'icon', 'aria-hidden': 'true' }, theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'), h('span', { class: 'label' }, t(`app.theme.${theme}`)));
    themeButton.setAttribute('aria-label', `${t('app.theme')}: ${t(`app.theme.${theme}`)}`);
  };
  drawTheme();
  themeButton.addEventListener('click', () => {
    setTheme(nextTheme(currentTheme()));
    drawTheme();
  });
  const logout = h('button', { type: 'button', class: 'button button-ghost logout', 'data-testid': 'logout' }, t('app.logout'));
  logout.addEventListener('click', () => o.onLogout());

  const header = h(
    'header',
    { class: 'topbar' },
    menuButton,
    h('a', { href: screenHref(DEFAULT_SCREEN), class: 'brand' }, brandMark(), t('app.title')),
    h('div', { class: 'topbar-tools' }, langGroup, themeButton, h('span', { class: 'account', 'data-testid': 'account' }, h('span', { class: 'account-name' }, o.account.name), badge(t(`role.${o.account.role}`), o.account.role === 'admin' ? 'info' : 'neutral', { 'data-testid': 'role' })), logout),
  );
  replace(host, skip, header, h('div', { class: 'layout' }, nav, main));

  function renderNav(activeId: string): void {
    replace(
      navList,
      ...visible.map((s) =>
        h('li', {}, h('a', { href: screenHref(s.id), class: 'nav-link', 'data-testid': `nav-${s.id}`, ...(s.id === activeId ? { 'aria-current': 'page' } : {}) }, t(s.titleKey))),
      ),
    );
    navList.querySelectorAll('a').forEach((a) => a.addEventListener('click', () => setMenu(false)));
  }

  function route(focusHeading: boolean): void {
    leave?.();
    leave = null;
    const mine = ++generation;
    const { id, params } = parseHash(location.hash);
    const entry = SCREENS.find((s) => s.id === id);
    renderNav(id);
    const heading = h('h1', { class: 'screen-title', tabindex: -1, 'data-testid': 'screen-title' }, entry ? t(entry.titleKey) : t('app.notFound'));
    const status = statusLine();
    const body = h('div', { class: 'screen-body', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
    replace(main, h('div', { class: 'screen-head' }, heading, status.root), body);
    document.body.dataset.screen = entry?.id ?? 'not-found';
    document.title = `${heading.textContent ?? ''} · ${t('app.title')}`;
    if (focusHeading) heading.focus();
    if (!entry) {
      replace(body, h('p', {}, t('app.notFound')));
      body.dataset.state = 'error';
      return;
    }
    if (!roleAtLeast(o.account.role, entry.minRole)) {
      replace(body, h('p', {}, t('app.forbidden')));
      body.dataset.state = 'error';
      return;
    }
    const ctx: ScreenContext = {
      api: o.api,
      account: o.account,
      params,
      status,
      navigate: (path) => {
        location.hash = path;
      },
      setTitle: (title) => {
        heading.textContent = title;
        document.title = `${title} · ${t('app.title')}`;
      },
      can: (min) => roleAtLeast(o.account.role, min),
    };
    entry.load().then(
      (module) => {
        if (mine !== generation) return;
        body.replaceChildren();
        body.dataset.state = 'ready';
        leave = module.render(body, ctx) ?? null;
      },
      (err: unknown) => {
        if (mine !== generation) return;
        body.dataset.state = 'error';
        const retry = h('button', { type: 'button', class: 'button' }, t('app.retry'));
        retry.addEventListener('click', () => route(false));
        replace(body, h('p', { role: 'alert' }, t('app.loadFailed', { error: describeError(err) })), retry);
      },
    );
  }

  return {
    route,
    dispose() {
      leave?.();
      leave = null;
      generation++;
    },
  };
}

