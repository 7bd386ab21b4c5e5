/**
 * A site's state in the overview, worst first: the order the dashboard lists sites in. No imports,
 * so the browser's bundle takes it as it is.
 */
export const overviewStates = [
  'offline',
  'power_at_risk',
  'degraded',
  'data_problem',
  'underused',
  'online',
  'unknown',
] as const;
export type OverviewState = (typeof overviewStates)[number];

/** What the overview counts and filters by: a state, or a site heard but not in the registry. */
export const siteStates = [...overviewStates, 'unregistered'] as const;
export type SiteState = (typeof siteStates)[number];
