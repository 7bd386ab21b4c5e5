import type { PlannerReport } from './types.js';

/** The report as data: every figure, the heatmaps and the underused ranking (docs/reports.md). */
export function toJson(report: PlannerReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
