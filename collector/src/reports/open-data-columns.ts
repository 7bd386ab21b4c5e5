import type { SiteRecord } from '../registry/site-record.js';
import { cellText } from './columns.js';
import type { ReportsConfig } from './config.js';
import type { ReportRange } from './range.js';
import type { ReportFigures } from './types.js';

export interface OpenDataColumn {
  readonly name: string;
  readonly type: 'string' | 'date' | 'number' | 'integer';
  readonly unit: string | null;
  readonly description: { readonly en: string; readonly id: string };
  readonly value: (site: SiteRecord, figures: ReportFigures, date: string) => string;
}

const text = (pick: (s: SiteRecord) => string | number) => (s: SiteRecord) => String(pick(s));
const figure = (pick: (f: ReportFigures) => number | null) => (_: SiteRecord, f: ReportFigures) => cellText(pick(f));

/** The open-data table's columns, in order: the data dictionary the metadata file publishes. */
export const OPEN_DATA_COLUMNS: readonly OpenDataColumn[] = [
  {
    name: 'date',
    type: 'date',
    unit: null,
    description: {
      en: 'Local day (YYYY-MM-DD) in the time zone named in the metadata',
      id: 'Hari lokal (YYYY-MM-DD) dalam zona waktu pada metadata',
    },
    value: (_s, _f, date) => date,
  },
  {
    name: 'site_id',
    type: 'string',
    unit: null,
    description: { en: "The site's stable identifier", id: 'Kode lokasi yang tetap' },
    value: text((s) => s.siteId),
  },
  {
    name: 'site_name',
    type: 'string',
    unit: null,
    description: { en: 'The public building the internet serves', id: 'Gedung publik yang dilayani internet' },
    value: text((s) => s.name),
  },
  {
    name: 'site_group',
    type: 'string',
    unit: null,
    description: {
      en: 'village_office, school, health_post or other',
      id: 'village_office (kantor desa), school (sekolah), health_post (puskesmas/posyandu) atau other (lainnya)',
    },
    value: text((s) => s.group),
  },
  {
    name: 'province_code',
    type: 'string',
    unit: null,
    description: { en: 'Kemendagri province code', id: 'Kode provinsi Kemendagri' },
    value: text((s) => s.kabupatenCode.slice(0, 2)),
  },
  {
    name: 'kabupaten_code',
    type: 'string',
    unit: null,
    description: { en: 'Kemendagri kabupaten/kota code', id: 'Kode kabupaten/kota Kemendagri' },
    value: text((s) => s.kabupatenCode),
  },
  {
    name: 'kabupaten',
    type: 'string',
    unit: null,
    description: { en: 'Kabupaten/kota name', id: 'Nama kabupaten/kota' },
    value: text((s) => s.kabupaten),
  },
  {
    name: 'kecamatan_code',
    type: 'string',
    unit: null,
    description: { en: 'Kemendagri kecamatan code', id: 'Kode kecamatan Kemendagri' },
    value: text((s) => s.kecamatanCode),
  },
  {
    name: 'kecamatan',
    type: 'string',
    unit: null,
    description: { en: 'Kecamatan name', id: 'Nama kecamatan' },
    value: text((s) => s.kecamatan),
  },
  {
    name: 'desa_code',
    type: 'string',
    unit: null,
    description: { en: 'Kemendagri desa/kelurahan code', id: 'Kode desa/kelurahan Kemendagri' },
    value: text((s) => s.desaCode),
  },
  {
    name: 'desa',
    type: 'string',
    unit: null,
    description: { en: 'Desa/kelurahan name', id: 'Nama desa/kelurahan' },
    value: text((s) => s.desa),
  },
  {
    name: 'latitude',
    type: 'number',
    unit: 'degree',
    description: { en: 'Latitude of the public building (WGS 84)', id: 'Lintang gedung publik (WGS 84)' },
    value: text((s) => s.latitude),
  },
  {
    name: 'longitude',
    type: 'number',
    unit: 'degree',
    description: { en: 'Longitude of the public building (WGS 84)', id: 'Bujur gedung publik (WGS 84)' },
    value: text((s) => s.longitude),
  },
  {
    name: 'availability_pct',
    type: 'number',
    unit: 'percent',
    description: {
      en: 'Share of the day the site was online (empty: nothing heard that day)',
      id: 'Persentase hari lokasi online (kosong: tidak terdengar hari itu)',
    },
    value: figure((f) => f.availabilityPct),
  },
  {
    name: 'downtime_h',
    type: 'number',
    unit: 'hour',
    description: { en: 'Hours offline that day', id: 'Jam offline hari itu' },
    value: figure((f) => f.downtimeHours),
  },
  {
    name: 'client_download_gb',
    type: 'number',
    unit: 'gigabyte (10^9 bytes)',
    description: {
      en: "Data downloaded by the public's devices (the monitoring agent's own traffic excluded)",
      id: 'Data yang diunduh perangkat masyarakat (lalu lintas agen pemantau tidak dihitung)',
    },
    value: figure((f) => f.clientDownGb),
  },
  {
    name: 'client_upload_gb',
    type: 'number',
    unit: 'gigabyte (10^9 bytes)',
    description: {
      en: "Data uploaded by the public's devices (the monitoring agent's own traffic excluded)",
      id: 'Data yang diunggah perangkat masyarakat (lalu lintas agen pemantau tidak dihitung)',
    },
    value: figure((f) => f.clientUpGb),
  },
  {
    name: 'active_hours',
    type: 'number',
    unit: 'hour',
    description: {
      en: 'Hours of the day with client traffic (minutes with more than 20 kB, summed)',
      id: 'Jam dengan lalu lintas klien (menit dengan lebih dari 20 kB, dijumlahkan)',
    },
    value: figure((f) => f.activeHoursPerDay),
  },
  {
    name: 'peak_clients',
    type: 'integer',
    unit: 'devices',
    description: {
      en: 'Most client devices connected at once (a count; no device is identified)',
      id: 'Perangkat klien terbanyak sekaligus (jumlah saja; tidak ada perangkat yang dikenali)',
    },
    value: figure((f) => f.peakClients),
  },
  {
    name: 'completeness_pct',
    type: 'number',
    unit: 'percent',
    description: {
      en: 'Measurements received of those expected: how complete the day’s figures are',
      id: 'Pengukuran yang diterima dari yang diharapkan: kelengkapan angka hari itu',
    },
    value: figure((f) => f.completenessPct),
  },
];

export interface OpenDataMetadata {
  readonly title: { readonly en: string; readonly id: string };
  readonly description: { readonly en: string; readonly id: string };
  readonly publisher: string;
  readonly licence: { readonly id: string; readonly url: string };
  readonly period: { readonly from: string; readonly to: string; readonly timeZone: string };
  readonly generatedAt: string;
  readonly file: {
    readonly name: string;
    readonly format: 'text/csv';
    readonly encoding: 'UTF-8';
    readonly rows: number;
  };
  readonly columns: readonly Omit<OpenDataColumn, 'value'>[];
  readonly personalData: string;
}

export function openDataMetadata(
  range: ReportRange,
  config: ReportsConfig['openData'],
  csvName: string,
  rows: number,
  nowMs: number,
): OpenDataMetadata {
  return {
    title: {
      en: `Public village internet: daily availability and use, ${range.fromDate} to ${range.toDate}`,
      id: `Internet publik desa: ketersediaan dan pemakaian harian, ${range.fromDate} sampai ${range.toDate}`,
    },
    description: {
      en: 'One row per registered site and day, measured at the site by Pantau. Empty cells: not measured.',
      id: 'Satu baris per lokasi terdaftar per hari, diukur di lokasi oleh Pantau. Sel kosong: tidak diukur.',
    },
    publisher: config.publisher,
    licence: { id: config.licence, url: config.licenceUrl },
    period: { from: range.fromDate, to: range.toDate, timeZone: range.timeZone },
    generatedAt: new Date(nowMs).toISOString(),
    file: { name: csvName, format: 'text/csv', encoding: 'UTF-8', rows },
    columns: OPEN_DATA_COLUMNS.map(({ value: _, ...c }) => c),
    personalData:
      'None: sites are public buildings; traffic is counted in bytes and devices in numbers, ' +
      'with no address, name or content.',
  };
}
