import { type Api, ApiError, errorText } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { languageSwitch } from './language-switch.js';

/** Shown when the API answers 401: user and password, then the app starts again. */
export function showLogin(root: HTMLElement, api: Api, onLoggedIn: () => void, onLanguage: () => void): void {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit' }, t('login.submit'));
  replace(
    root,
    h(
      'main',
      { class: 'login' },
      h(
        'form',
        {
          onsubmit: async (event) => {
            event.preventDefault();
            button.disabled = true;
            try {
              const answer = await api.post<{ csrfToken: string }>('/api/login', {
                user: user.value,
                password: password.value,
              });
              api.setCsrfToken(answer.csrfToken);
              onLoggedIn();
            } catch (error) {
              status.textContent =
                error instanceof ApiError && error.status === 401 ? t('login.failed') : errorText(error);
              button.disabled = false;
            }
          },
        },
        h('h1', {}, t('login.title')),
        h('label', {}, h('span', {}, t('login.user')), user),
        h('label', {}, h('span', {}, t('login.password')), password),
        button,
        status,
        languageSwitch(onLanguage),
      ),
    ),
  );
}
