import { alertsTable } from './alerts-table.js';
import { errorText } from './api.js';
import type { View } from './app-context.js';
import type { Alert, Incident } from './contract.js';
import { controlsSection } from './controls.js';
import { h, replace } from './dom.js';
import { formatTime, t, tData } from './i18n.js';
import { coalesce } from './live.js';

/** Open alerts and incidents; silences and maintenance windows below them. */
export const alertsView: View = (container, ctx) => {
  let stopped = false;
  const alertsSlot = h('section', {});
  const incidentsSlot = h('section', {});
  const controlsSlot = h('section', {});
  replace(
    container,
    h('h1', {}, t('alerts.title')),
    ctx.isAdmin ? null : h('p', { class: 'muted admin-only' }, t('controls.adminOnly')),
    alertsSlot,
    h('h2', {}, t('incidents.title')),
    incidentsSlot,
    h('h2', {}, t('controls.title')),
    controlsSlot,
  );
  const load = async () => {
    try {
      const [alerts, incidents] = await Promise.all([
        ctx.api.get<{ alerts: Alert[] }>('/api/alerts?open=true'),
        ctx.api.get<{ incidents: Incident[] }>('/api/incidents?open=true'),
      ]);
      if (stopped) return;
      replace(
        alertsSlot,
        alertsTable(alerts.alerts, ctx, () => refresh.request()),
      );
      replace(incidentsSlot, incidentList(incidents.incidents));
      container.dataset.loaded = 'true';
    } catch (error) {
      if (!stopped) replace(alertsSlot, h('p', { class: 'error' }, t('error.load', { message: errorText(error) })));
    }
  };
  const refresh = coalesce(() => void load(), 2_000);
  const unsubscribe = ctx.live.subscribe(() => refresh.request());
  const stopControls = controlsSection(controlsSlot, ctx);
  void load();
  return () => {
    stopped = true;
    refresh.cancel();
    unsubscribe();
    stopControls();
  };
};

function incidentList(incidents: readonly Incident[]): Node {
  if (incidents.length === 0) return h('p', { class: 'muted' }, t('incidents.none'));
  return h(
    'ul',
    { class: 'incidents' },
    incidents.map((i) =>
      h(
        'li',
        { 'data-incident': i.id },
        h('strong', {}, i.areaName ?? i.kind),
        ` (${i.scope}${i.areaCode === null ? '' : ` ${i.areaCode}`}) · ${tData('cause', i.cause)} · ${t('col.since')} ${formatTime(i.startsAtMs)} · `,
        t('incidents.members', { count: i.members.length }),
      ),
    ),
  );
}
