import type { Api } from './api.js';
import type { Me } from './contract.js';
import type { Live } from './live.js';

/** What every view is given; a view returns the function that stops it (timers, listeners). */
export interface AppContext {
  readonly api: Api;
  readonly me: Me;
  readonly live: Live;
  readonly isAdmin: boolean;
  nowMs(): number;
}

export type View = (container: HTMLElement, ctx: AppContext, route: Route) => () => void;

export interface Route {
  readonly path: string;
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', queryText = ''] = raw.split('?', 2);
  return {
    path,
    parts: path
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent),
    query: new URLSearchParams(queryText),
  };
}
