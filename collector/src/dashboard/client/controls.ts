import { errorText } from './api.js';
import type { AppContext } from './app-context.js';
import type { Control } from './contract.js';
import { KINDS } from './contract.js';
import { h, replace } from './dom.js';
import { formatTime, t, tData } from './i18n.js';

const HOUR_MS = 3_600_000;
type ScopeType = 'siteId' | 'kecamatanCode' | 'kabupatenCode';
const SCOPES: readonly ScopeType[] = ['siteId', 'kecamatanCode', 'kabupatenCode'];

/** Silences and maintenance windows: the list for anyone, new ones and "end now" for an admin. */
export function controlsSection(slot: HTMLElement, ctx: AppContext): () => void {
  let stopped = false;
  const list = h('div', {});
  const status = h('p', { class: 'status', role: 'status' });
  replace(slot, list, ctx.isAdmin ? newControlForm(ctx, status, () => void load()) : null, status);
  const load = async () => {
    try {
      const controls = await ctx.api.get<{ silences: Control[]; maintenance: Control[] }>('/api/silences');
      if (stopped) return;
      const rows = [
        ...controls.silences.map((c) => ({ type: 'silence' as const, c })),
        ...controls.maintenance.map((c) => ({ type: 'maintenance' as const, c })),
      ].filter(({ c }) => c.endsMs > ctx.nowMs());
      replace(
        list,
        rows.length === 0
          ? h('p', { class: 'muted' }, t('controls.none'))
          : h(
              'div',
              { class: 'scroll-x' },
              controlsTable(rows, ctx, status, () => void load()),
            ),
      );
    } catch (error) {
      if (!stopped) replace(list, h('p', { class: 'error' }, t('error.load', { message: errorText(error) })));
    }
  };
  void load();
  return () => {
    stopped = true;
  };
}

function controlsTable(
  rows: readonly { type: 'silence' | 'maintenance'; c: Control }[],
  ctx: AppContext,
  status: HTMLElement,
  reload: () => void,
): Node {
  const head = [t('controls.type'), t('col.scope'), t('col.kind'), t('col.window'), t('col.comment'), t('col.by'), ''];
  return h(
    'table',
    { class: 'controls' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((x) => h('th', {}, x)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(({ type, c }) =>
        h(
          'tr',
          { 'data-control': c.id },
          h('td', {}, t(`controls.${type}`)),
          h(
            'td',
            {},
            Object.entries(c.scope)
              .map(([k, v]) => `${tData('controls.scope', k)} ${v}`)
              .join(', '),
          ),
          h('td', {}, (c.kinds ?? []).map((k) => tData('kind', k)).join(', ')),
          h('td', {}, `${formatTime(c.startsMs)} – ${formatTime(c.endsMs)}`),
          h('td', {}, c.comment),
          h('td', {}, c.by),
          h(
            'td',
            {},
            ctx.isAdmin
              ? h(
                  'button',
                  {
                    type: 'button',
                    onclick: async () => {
                      try {
                        await ctx.api.post(`/api/controls/${encodeURIComponent(c.id)}/end`, {});
                        status.textContent = t('controls.ended');
                        reload();
                      } catch (error) {
                        status.textContent = t('error.write', { message: errorText(error) });
                      }
                    },
                  },
                  t('controls.end'),
                )
              : null,
          ),
        ),
      ),
    ),
  );
}

function newControlForm(ctx: AppContext, status: HTMLElement, reload: () => void): HTMLElement {
  const type = h(
    'select',
    { name: 'type' },
    h('option', { value: 'silence' }, t('controls.silence')),
    h('option', { value: 'maintenance' }, t('controls.maintenance')),
  );
  const scopeType = h(
    'select',
    { name: 'scopeType' },
    SCOPES.map((s) => h('option', { value: s }, t(`controls.scope.${s}`))),
  );
  const scopeValue = h('input', { name: 'scopeValue', required: true, maxlength: 64 });
  const kinds = KINDS.map((k) => h('input', { type: 'checkbox', name: 'kind', value: k }));
  const starts = h('input', { type: 'datetime-local', name: 'starts' });
  const hours = h('input', { type: 'number', name: 'hours', min: 0.25, step: 0.25, value: 2, required: true });
  const comment = h('input', { name: 'comment', maxlength: 500 });
  const label = (text: string, control: Node) => h('label', {}, h('span', {}, text), control);
  return h(
    'form',
    {
      class: 'new-control',
      onsubmit: async (event) => {
        event.preventDefault();
        // The datetime field is the browser's local time; empty means now.
        const startsMs = starts.value === '' ? ctx.nowMs() : new Date(starts.value).getTime();
        const endsMs = Math.round(startsMs + Number(hours.value) * HOUR_MS);
        const body: Record<string, unknown> = {
          scope: { [scopeType.value]: scopeValue.value.trim() },
          startsMs,
          endsMs,
          comment: comment.value.trim(),
        };
        if (type.value === 'silence') body.kinds = kinds.filter((k) => k.checked).map((k) => k.value);
        try {
          await ctx.api.post(type.value === 'silence' ? '/api/silences' : '/api/maintenance', body);
          status.textContent = t('controls.created');
          reload();
        } catch (error) {
          status.textContent = t('error.write', { message: errorText(error) });
        }
      },
    },
    h('h3', {}, t('controls.new')),
    label(t('controls.type'), type),
    label(t('controls.scopeType'), scopeType),
    label(t('controls.scopeValue'), scopeValue),
    h(
      'fieldset',
      {},
      h('legend', {}, t('controls.kinds')),
      KINDS.map((k, i) => h('label', { class: 'inline' }, kinds[i] ?? null, tData('kind', k))),
    ),
    label(t('controls.starts'), starts),
    label(t('controls.hours'), hours),
    label(t('controls.comment'), comment),
    h('button', { type: 'submit' }, t('controls.create')),
  );
}
