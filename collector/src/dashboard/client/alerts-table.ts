import { errorText } from './api.js';
import type { AppContext } from './app-context.js';
import type { Alert } from './contract.js';
import { h } from './dom.js';
import { formatDuration, formatTime, t, tData } from './i18n.js';

/** Open alerts, each with its acknowledgement: a note and a button for an admin, the state for anyone. */
export function alertsTable(alerts: readonly Alert[], ctx: AppContext, onChanged: () => void): Node {
  if (alerts.length === 0) return h('p', { class: 'muted' }, t('alerts.none'));
  const head = [t('col.site'), t('col.kind'), t('col.cause'), t('col.since'), t('col.phase'), t('col.ack')];
  return h(
    'table',
    { class: 'alerts' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h(
      'tbody',
      {},
      [...alerts].sort(byUrgency).map((alert) => alertRow(alert, ctx, onChanged)),
    ),
  );
}

const KIND_ORDER = ['offline', 'power_at_risk', 'degraded', 'data_problem', 'underused'];

/** Not yet acknowledged first, then the worst kind, then the oldest. */
function byUrgency(a: Alert, b: Alert): number {
  const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  return Number(a.ackBy !== null) - Number(b.ackBy !== null) || rank(a.kind) - rank(b.kind) || a.sinceMs - b.sinceMs;
}

function alertRow(alert: Alert, ctx: AppContext, onChanged: () => void): HTMLElement {
  const revised = alert.firstCause !== null && alert.firstCause !== alert.cause;
  return h(
    'tr',
    { 'data-alert': alert.key },
    h(
      'td',
      { class: 'site-cell' },
      h('a', { href: `#/site/${encodeURIComponent(alert.siteId)}` }, alert.siteName ?? alert.siteId),
      h('small', {}, alert.siteId),
    ),
    h('td', { 'data-label': t('col.kind') }, h('span', { class: `badge st-${alert.kind}` }, tData('kind', alert.kind))),
    h(
      'td',
      { 'data-label': t('col.cause') },
      tData('cause', alert.cause),
      alert.detail ? h('small', {}, tData('detail', alert.detail)) : null,
      revised
        ? h('small', { class: 'revised' }, t('alerts.revisedFrom', { cause: tData('cause', alert.firstCause) }))
        : null,
    ),
    h(
      'td',
      { 'data-label': t('col.since'), title: formatTime(alert.sinceMs) },
      formatDuration(ctx.nowMs() - alert.sinceMs),
    ),
    h(
      'td',
      { 'data-label': t('col.phase') },
      tData('phase', alert.phase),
      alert.flapping ? h('small', { class: 'flapping' }, t('alerts.flapping')) : null,
    ),
    h('td', { 'data-label': t('col.ack') }, ackCell(alert, ctx, onChanged)),
  );
}

function ackCell(alert: Alert, ctx: AppContext, onChanged: () => void): Node {
  if (alert.ackBy !== null) {
    return h(
      'span',
      { class: 'acked' },
      `✓ ${t('alerts.acked', { user: alert.ackBy, at: formatTime(alert.ackMs) })}`,
      alert.ackNote ? h('small', {}, alert.ackNote) : null,
    );
  }
  if (!ctx.isAdmin) return h('span', { class: 'muted' }, t('value.none'));
  const note = h('input', { type: 'text', name: 'note', maxlength: 500, placeholder: t('alerts.ackNote') });
  const status = h('small', { class: 'status', role: 'status' });
  const button = h('button', { type: 'submit' }, t('alerts.ack'));
  return h(
    'form',
    {
      class: 'ack',
      onsubmit: async (event) => {
        event.preventDefault();
        button.disabled = true;
        try {
          await ctx.api.post('/api/alerts/ack', { key: alert.key, note: note.value.trim() });
          status.textContent = t('alerts.ackQueued');
          onChanged();
        } catch (error) {
          status.textContent = t('error.write', { message: errorText(error) });
          button.disabled = false;
        }
      },
    },
    note,
    button,
    status,
  );
}
