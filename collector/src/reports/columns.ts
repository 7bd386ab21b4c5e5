import type { MessageKey } from '../i18n/catalogue.js';
import { downtimeCauses, type ReportFigures } from './types.js';

/**
 * A figure column as every format shows it: its stable CSV name, its heading's catalogue key and
 * its value. CSV and HTML read values through `cellText`, so they show the same numbers.
 */
export interface FigureColumn {
  readonly id: string;
  readonly heading: MessageKey;
  readonly value: (f: ReportFigures) => number | null;
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { id: 'sites', heading: 'report.col.sites', value: (f) => f.sites },
  { id: 'availability_pct', heading: 'report.col.availability_pct', value: (f) => f.availabilityPct },
  { id: 'downtime_h', heading: 'report.col.downtime_h', value: (f) => f.downtimeHours },
  ...downtimeCauses.map(
    (cause): FigureColumn => ({
      id: `downtime_${cause}_h`,
      heading: `cause.${cause}`,
      value: (f) => f.downtimeHoursByCause[cause],
    }),
  ),
  { id: 'client_down_gb', heading: 'report.col.client_down_gb', value: (f) => f.clientDownGb },
  { id: 'client_up_gb', heading: 'report.col.client_up_gb', value: (f) => f.clientUpGb },
  { id: 'active_hours_per_day', heading: 'report.col.active_hours_per_day', value: (f) => f.activeHoursPerDay },
  { id: 'peak_clients', heading: 'report.col.peak_clients', value: (f) => f.peakClients },
  { id: 'latency_p50_ms', heading: 'report.col.latency_p50_ms', value: (f) => f.latencyP50Ms },
  { id: 'latency_p95_ms', heading: 'report.col.latency_p95_ms', value: (f) => f.latencyP95Ms },
  { id: 'throughput_tests', heading: 'report.col.throughput_tests', value: (f) => f.throughputTests },
  { id: 'throughput_down_mbps', heading: 'report.col.throughput_down_mbps', value: (f) => f.throughputDownMbps },
  { id: 'throughput_up_mbps', heading: 'report.col.throughput_up_mbps', value: (f) => f.throughputUpMbps },
  { id: 'low_battery_nights', heading: 'report.col.low_battery_nights', value: (f) => f.lowBatteryNights },
  { id: 'completeness_pct', heading: 'report.col.completeness_pct', value: (f) => f.completenessPct },
  { id: 'underused_adoption', heading: 'report.col.underused_adoption', value: (f) => f.underusedAdoption },
  { id: 'underused_availability', heading: 'report.col.underused_availability', value: (f) => f.underusedAvailability },
];

/** A value as text: the number as computed (already rounded), empty when not known. */
export function cellText(value: number | string | null): string {
  return value === null ? '' : String(value);
}
