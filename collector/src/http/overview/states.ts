/**
 * A site's state in the overview, worst first: the order the dashboard lists sites in. No imports,
 * so the browser's bundle takes it as it is. `decommissioned`: taken out of service on purpose
 * (`pantau-collector decommission`); never judged, never in need of action.
 */
export const overviewStates = [
  'offline',
  'power_at_risk',
  'degraded',
  'data_problem',
  'underused',
  'online',
  'unknown',
  'decommissioned',
] as const;
export type OverviewState = (typeof overviewStates)[number];

/** What the overview counts and filters by: a state, or a site heard but not in the registry. */
export const siteStates = [...overviewStates, 'unregistered'] as const;
export type SiteState = (typeof siteStates)[number];
