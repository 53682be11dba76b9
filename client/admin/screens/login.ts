/** The login: name and password (the name may be empty on a server with only ADMIN_PASSWORD). */
import { AdminApiError, type AdminApi } from '../api.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';
import { brandMark, field, h, replace } from '../ui/index.js';
import { describeError } from '../ui/status.js';

export interface LoginOptions {
  api: AdminApi;
  /** Why the login is shown again (the session ended). */
  message: string | null;
  onSignedIn: () => void;
}

export function renderLogin(host: HTMLElement, o: LoginOptions): void {
  const name = field({ label: t('login.name'), name: 'name', autocomplete: 'username', attrs: { 'data-testid': 'login-name', maxlength: 64 } });
  const password = field({ label: t('login.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', attrs: { 'data-testid': 'login-password', maxlength: 256 } });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'login-error' }, o.message ?? '');
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block', 'data-testid': 'login-submit' }, t('login.submit'));
  const form = h('form', { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' }, name.root, password.root, error, submit);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pw = password.input.value;
    if (!pw) {
      password.setError(t('login.failed'));
      password.input.focus();
      return;
    }
    password.setError(null);
    submit.disabled = true;
    submit.textContent = t('login.busy');
    error.textContent = '';
    o.api.login(name.input.value.trim(), pw).then(
      () => o.onSignedIn(),
      (err: unknown) => {
        submit.disabled = false;
        submit.textContent = t('login.submit');
        error.textContent = loginError(err);
        password.input.value = '';
        password.input.focus();
      },
    );
  });

  const langs = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': t('app.language') },
    ...LANGUAGES.map((lang) =>
      h('button', { type: 'button', lang, 'aria-pressed': String(language() === lang), 'data-testid': `lang-${lang}`, onclick: () => setLanguage(lang) }, lang.toUpperCase()),
    ),
  );
  replace(
    host,
    h(
      'main',
      { class: 'login', id: 'main' },
      h(
        'div',
        { class: 'login-card', 'data-testid': 'login' },
        h('div', { class: 'login-head' }, brandMark(), langs),
        h('h1', { id: 'login-title' }, t('login.title')),
        h('p', { class: 'muted' }, t('login.subtitle')),
        form,
      ),
    ),
  );
  (o.message ? password.input : name.input).focus();
}

function loginError(err: unknown): string {
  if (err instanceof AdminApiError) {
    if (err.code === 'AUTH_INVALID') return t('login.failed');
    if (err.status === 429) return t('login.rateLimited');
    if (err.code === 'ADMIN_DISABLED') return t('login.disabled');
  }
  return t('login.error', { error: describeError(err) });
}
