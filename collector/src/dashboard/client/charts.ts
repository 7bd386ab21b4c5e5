import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';
import { axisTime, t } from './i18n.js';

export interface ChartLine {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly colour: string;
  /** A second y axis on the right (solar watts beside battery volts). */
  readonly right?: boolean;
  /** Points only: speed tests are single measurements, not a continuous line. */
  readonly pointsOnly?: boolean;
}

export interface Chart {
  readonly element: HTMLElement;
  destroy(): void;
}

const HEIGHT_PX = 180;
const WITA = 'Asia/Makassar';

/** A time chart; the element must be in the page when this is called (uPlot measures its width). */
export function timeChart(
  slot: HTMLElement,
  title: string,
  timesMs: readonly number[],
  lines: readonly ChartLine[],
  units: { left: string; right?: string },
): Chart {
  const hasData = lines.some((l) => l.values.some((v) => v !== null && v !== undefined));
  const element = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  slot.append(element);
  if (!hasData || timesMs.length === 0) {
    element.append(h('p', { class: 'muted' }, t('chart.noData')));
    return { element, destroy: () => {} };
  }
  const width = () => Math.max(260, element.clientWidth - 4);
  const axes: uPlot.Axis[] = [{ values: (_u, splits) => axisLabels(splits) }, { label: units.left, size: 50 }];
  if (units.right !== undefined)
    axes.push({ label: units.right, scale: 'right', side: 1, size: 50, grid: { show: false } });
  const options: uPlot.Options = {
    width: width(),
    height: HEIGHT_PX,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), WITA),
    scales: { x: { time: true } },
    axes,
    series: [
      {},
      ...lines.map(
        (l): uPlot.Series => ({
          label: l.label,
          stroke: l.colour,
          width: 1.5,
          scale: l.right === true ? 'right' : 'y',
          spanGaps: false,
          ...(l.pointsOnly === true ? { paths: () => null, points: { show: true, size: 7, fill: l.colour } } : {}),
        }),
      ),
    ],
  };
  const data: uPlot.AlignedData = [
    timesMs.map((ms) => ms / 1000),
    ...lines.map((l) => l.values.map((v) => (v === undefined ? null : v))),
  ];
  const plot = new uPlot(options, data, element);
  const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT_PX }));
  observer.observe(element);
  return {
    element,
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}

/** Ticks in the dashboard's language and in WITA: hours within two days, dates beyond. */
function axisLabels(splitsSeconds: readonly number[]): string[] {
  const first = splitsSeconds[0] ?? 0;
  const last = splitsSeconds[splitsSeconds.length - 1] ?? first;
  const withHours = last - first <= 2 * 86_400;
  return splitsSeconds.map((s) => axisTime(s * 1000, withHours));
}
