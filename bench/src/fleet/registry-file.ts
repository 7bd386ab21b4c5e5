import type { SitePlan } from './site-plan.js';

/** The registry's fields in the order of the collector's CSV columns (collector/src/registry/site-record.ts). */
const COLUMNS: readonly [string, (plan: SitePlan) => string | number][] = [
  ['site_id', (p) => p.siteId],
  ['name', (p) => p.name],
  ['kabupaten_code', (p) => p.kabupatenCode],
  ['kabupaten', (p) => p.kabupaten],
  ['kecamatan_code', (p) => p.kecamatanCode],
  ['kecamatan', (p) => p.kecamatan],
  ['desa_code', (p) => p.desaCode],
  ['desa', (p) => p.desa],
  ['group', (p) => p.group],
  ['latitude', (p) => p.latitude],
  ['longitude', (p) => p.longitude],
  ['lvd_volts', (p) => p.lowVoltageDisconnectVolts],
];

/** The fleet as a registry CSV, for `pantau-collector sites import`. */
export function registryCsv(plans: readonly SitePlan[]): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const plan of plans) lines.push(COLUMNS.map(([, get]) => cell(get(plan))).join(','));
  return `${lines.join('\n')}\n`;
}

/** The same as YAML (`sites:` holding one mapping per site, with the registry's field names). */
export function registryYaml(plans: readonly SitePlan[]): string {
  const lines = ['sites:'];
  for (const p of plans) {
    // JSON strings are YAML double-quoted scalars: no name can break the file.
    const fields: [string, string | number][] = [
      ['siteId', p.siteId],
      ['name', p.name],
      ['kabupatenCode', p.kabupatenCode],
      ['kabupaten', p.kabupaten],
      ['kecamatanCode', p.kecamatanCode],
      ['kecamatan', p.kecamatan],
      ['desaCode', p.desaCode],
      ['desa', p.desa],
      ['group', p.group],
      ['latitude', p.latitude],
      ['longitude', p.longitude],
      ['lowVoltageDisconnectVolts', p.lowVoltageDisconnectVolts],
    ];
    fields.forEach(([name, value], i) => {
      lines.push(`${i === 0 ? '  - ' : '    '}${name}: ${JSON.stringify(value)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** CSV for a `.csv` path, YAML otherwise (as the collector's import reads the name). */
export function registryFile(path: string, plans: readonly SitePlan[]): string {
  return path.toLowerCase().endsWith('.csv') ? registryCsv(plans) : registryYaml(plans);
}
