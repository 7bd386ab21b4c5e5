import { type Chart, timeChart } from './charts.js';
import type { Series } from './contract.js';
import { t } from './i18n.js';

const ROLE_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b'];

/** The site's charts over the chosen period: latency by role, use, clients, power, speed tests. */
export function siteCharts(slot: HTMLElement, series: Series): Chart[] {
  const mb = (values: Series['downBytes']) => values.map((v) => (v === null ? null : v / 1e6));
  const roles = Object.keys(series.rttMsByRole).sort();
  return [
    timeChart(
      slot,
      t('chart.latency'),
      series.t,
      [
        ...roles.map((role, i) => ({
          label: role,
          values: series.rttMsByRole[role] ?? [],
          colour: ROLE_COLOURS[i % ROLE_COLOURS.length] ?? '#333',
        })),
        { label: t('chart.loss'), values: series.lossPct, colour: '#ff7f0e', right: true },
      ],
      { left: 'ms', right: '%' },
    ),
    timeChart(
      slot,
      t('chart.usage'),
      series.t,
      [
        { label: t('series.down'), values: mb(series.downBytes), colour: '#1f77b4' },
        { label: t('series.up'), values: mb(series.upBytes), colour: '#2ca02c' },
      ],
      { left: 'MB' },
    ),
    timeChart(
      slot,
      t('chart.clients'),
      series.t,
      [{ label: t('series.clients'), values: series.clientsMax, colour: '#9467bd' }],
      { left: '' },
    ),
    timeChart(
      slot,
      t('chart.power'),
      series.t,
      [
        { label: t('series.batteryMin'), values: series.batteryMinVolts, colour: '#d62728' },
        { label: t('series.batteryMax'), values: series.batteryMaxVolts, colour: '#ff9896' },
        { label: t('series.solar'), values: series.solarWatts, colour: '#e6a700', right: true },
      ],
      { left: 'V', right: 'W' },
    ),
    timeChart(
      slot,
      t('chart.throughput'),
      series.throughput.map((r) => r.atMs),
      [
        {
          label: t('series.down'),
          values: series.throughput.map((r) => r.downMbps),
          colour: '#1f77b4',
          pointsOnly: true,
        },
        { label: t('series.up'), values: series.throughput.map((r) => r.upMbps), colour: '#2ca02c', pointsOnly: true },
      ],
      { left: 'Mbit/s' },
    ),
  ];
}
