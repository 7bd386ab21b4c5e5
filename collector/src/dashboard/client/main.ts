import './style.css';
import { alertsView } from './alerts-view.js';
import { type Api, ApiError, createApi, errorText } from './api.js';
import { type AppContext, parseRoute, type View } from './app-context.js';
import type { Me } from './contract.js';
import { h, replace } from './dom.js';
import { currentLanguage, setLanguage, t } from './i18n.js';
import { languageSwitch } from './language-switch.js';
import { createLive, type Live, type LiveMode } from './live.js';
import { showLogin } from './login-view.js';
import { mapView } from './map-view.js';
import { overviewView } from './overview-view.js';
import { reportsView } from './reports-view.js';
import { siteView } from './site-view.js';

const root = document.getElementById('app') ?? document.body;
let live: Live | null = null;
let stopView: (() => void) | null = null;
let me: Me | null = null;
const api: Api = createApi(() => {
  if (me !== null) void start();
});

function viewFor(parts: readonly string[]): { view: View; nav: string } {
  if (parts[0] === 'map') return { view: mapView, nav: 'map' };
  if (parts[0] === 'alerts') return { view: alertsView, nav: 'alerts' };
  if (parts[0] === 'reports') return { view: reportsView, nav: 'reports' };
  if (parts[0] === 'site' && parts[1] !== undefined) return { view: siteView, nav: '' };
  return { view: overviewView, nav: 'overview' };
}

/** Asks who is logged in; the login form on 401, else the app. */
async function start(): Promise<void> {
  stop();
  setLanguage(currentLanguage());
  try {
    me = await api.get<Me>('/api/me');
  } catch (error) {
    me = null;
    if (error instanceof ApiError && error.status === 401) {
      showLogin(
        root,
        api,
        () => void start(),
        () => void start(),
      );
      return;
    }
    replace(root, h('p', { class: 'error' }, t('error.load', { message: errorText(error) })));
    return;
  }
  api.setCsrfToken(me.csrfToken);
  const liveLabel = h('span', { class: 'live', 'data-mode': 'connecting' }, t('live.connecting'));
  live = createLive((mode: LiveMode) => {
    liveLabel.dataset.mode = mode;
    liveLabel.textContent = t(`live.${mode}`);
  });
  const main = h('main', { id: 'view' });
  const navLinks = (['overview', 'map', 'alerts', 'reports'] as const).map((name) =>
    h('a', { href: name === 'overview' ? '#/' : `#/${name}`, 'data-nav': name }, t(`nav.${name}`)),
  );
  const session = me;
  replace(
    root,
    h(
      'header',
      { class: 'top' },
      h('strong', { class: 'brand' }, t('app.title')),
      h('nav', {}, navLinks),
      liveLabel,
      h('span', { class: 'who' }, `${session.user} (${t(`role.${session.role}`)})`),
      languageSwitch(() => void start()),
      session.demo
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'logout',
              onclick: async () => {
                await api.post('/api/logout', {}).catch(() => undefined);
                void start();
              },
            },
            t('nav.logout'),
          ),
    ),
    session.demo ? h('p', { class: 'demo-banner' }, t('demo.banner')) : null,
    main,
  );
  const ctx: AppContext = { api, me: session, live, isAdmin: session.role === 'admin', nowMs: () => Date.now() };
  const show = () => {
    stopView?.();
    const route = parseRoute(location.hash);
    const { view, nav } = viewFor(route.parts);
    for (const link of navLinks) link.classList.toggle('active', link.dataset.nav === nav);
    main.replaceChildren();
    // `loaded` says the view now shown has drawn its data: not the one before it.
    delete main.dataset.loaded;
    main.dataset.view = route.parts[0] ?? 'overview';
    stopView = view(main, ctx, route);
    window.scrollTo(0, 0);
  };
  routeListener = show;
  show();
}

let routeListener: (() => void) | null = null;
window.addEventListener('hashchange', () => routeListener?.());

function stop(): void {
  stopView?.();
  stopView = null;
  routeListener = null;
  live?.stop();
  live = null;
}

void start();
