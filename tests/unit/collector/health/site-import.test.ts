import { applySiteSet, createMemoryRegistry, parseSiteFile, siteFileFormat } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

const header =
  'site_id,name,kabupaten_code,kabupaten,kecamatan_code,kecamatan,desa_code,desa,group,latitude,longitude,lvd_volts,sample_interval_sec,delivery_interval_sec';
const good = [
  'kutim-sangatta-01,Kantor Desa Sangatta Utara,64.08,Kutai Timur,64.08.05,Sangatta Utara,64.08.05.2001,Swarga Bara,village_office,0.5132,117.5421,11.5,60,300',
  'paser-grogot-02,"Puskesmas Tanah Grogot, Pembantu",64.01,Paser,64.01.04,Tanah Grogot,64.01.04.2003,Tepian Batang,health_post,-1.9091,116.1980,,,',
];

describe('sites import', () => {
  it('reads a CSV file (quoted commas, empty optional cells) into registered sites', () => {
    const parsed = parseSiteFile([header, ...good].join('\n'), 'csv');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.map((r) => [r.line, r.record.siteId, r.record.name])).toEqual([
      [2, 'kutim-sangatta-01', 'Kantor Desa Sangatta Utara'],
      [3, 'paser-grogot-02', 'Puskesmas Tanah Grogot, Pembantu'],
    ]);
    expect(parsed.value[0]?.record).toMatchObject({ lowVoltageDisconnectVolts: 11.5, deliveryIntervalSec: 300 });
    expect(parsed.value[1]?.record).toMatchObject({ lowVoltageDisconnectVolts: null, group: 'health_post' });
  });

  it('names every bad row with its line and field, and imports nothing from such a file', () => {
    const bad = [
      header,
      good[0],
      // a kecamatan of Paser under Kutai Timur
      'kutim-x,Desa X,64.08,Kutai Timur,64.01.04,Tanah Grogot,64.01.04.2003,Tepian,school,0.5,117.5,,,',
      // swapped coordinates, unknown group, interval not a number
      'kutim-y,Desa Y,64.08,Kutai Timur,64.08.05,Sangatta Utara,64.08.05.2002,Y,warung,117.5,0.5,,abc,',
      // the code of Kutai Timur with the name of Paser
      'kutim-z,Desa Z,64.08,Paser,64.08.05,Sangatta Utara,64.08.05.2003,Z,other,0.5,117.5,,,',
      // the same site again
      good[0],
    ].join('\r\n');
    const parsed = parseSiteFile(bad, 'csv');
    expect(parsed.ok).toBe(false);
    expect((parsed.errors ?? []).map((e) => [e.line, e.field])).toEqual([
      [3, 'kecamatan_code'],
      [4, 'group'],
      [4, 'latitude'],
      [4, 'longitude'],
      [4, 'sample_interval_sec'],
      [5, 'kabupaten'],
      [6, 'site_id'],
    ]);
    expect(parsed.ok ? '' : parsed.message).toContain(
      'line 3, kecamatan_code: 64.01.04 is not a kecamatan of kabupaten 64.08',
    );
    expect(parsed.ok ? '' : parsed.message).toContain('line 5, kabupaten: kabupaten 64.08 is Kutai Timur, not Paser');
    expect(parsed.ok ? '' : parsed.message).toContain('line 6, site_id: site kutim-sangatta-01 is already on line 2');
  });

  it('counts the lines of a quoted cell that spans lines, and reads ; files with decimal commas', () => {
    const text = [
      header.replaceAll(',', ';'),
      'kutim-a;"Kantor Desa\nSangatta";64.08;Kutai Timur;64.08.05;Sangatta Utara;64.08.05.2001;A;school;0,51;117,54;11,5;;',
      'kutim-b;B;64.08;Kutai Timur;64.08.05;Sangatta Utara;64.08.05.2002;B;school;0,51;banyak;;;',
    ].join('\n');
    const parsed = parseSiteFile(text, 'csv');
    expect(parsed.errors?.map((e) => [e.line, e.field, e.message])).toEqual([
      [4, 'longitude', expect.stringContaining('"banyak"')],
    ]);
    const fixed = parseSiteFile(text.replace('banyak', '117,6'), 'csv');
    expect(fixed.ok && fixed.value.map((r) => [r.line, r.record.latitude, r.record.lowVoltageDisconnectVolts])).toEqual(
      [
        [2, 0.51, 11.5],
        [4, 0.51, null],
      ],
    );
  });

  it('reads YAML and names the line of the bad field', () => {
    const yaml = `sites:
  - siteId: kutim-a
    name: Kantor Desa A
    kabupatenCode: "64.08"
    kabupaten: Kutai Timur
    kecamatanCode: "64.08.05"
    kecamatan: Sangatta Utara
    desaCode: "64.08.05.2001"
    desa: A
    group: school
    latitude: 0.51
    longitude: 117.54
  - siteId: kutim-b
    name: Kantor Desa B
    kabupatenCode: "64.08"
    kabupaten: Kutai Timur
    kecamatanCode: "64.8.5"
    kecamatan: Sangatta Utara
    desaCode: "64.08.05.2002"
    desa: B
    group: school
    latitude: 0.51
    longitude: 117.54
    lvdVolts: 11.5
`;
    expect(siteFileFormat('/etc/pantau/sites.yaml')).toBe('yaml');
    const parsed = parseSiteFile(yaml, 'yaml');
    expect(parsed.errors?.map((e) => [e.line, e.field])).toEqual([
      [17, 'kecamatanCode'],
      [24, 'lvdVolts'],
    ]);
  });

  it('is idempotent: importing the same file twice changes nothing the second time', async () => {
    const parsed = parseSiteFile([header, ...good].join('\n'), 'csv');
    if (!parsed.ok) throw new Error(parsed.message);
    const registry = createMemoryRegistry();
    const records = parsed.value.map((r) => r.record);
    expect(await registry.upsert(records)).toEqual({ added: 2, updated: 0, unchanged: 0, recommissioned: 0 });
    expect(await registry.upsert(records)).toEqual({ added: 0, updated: 0, unchanged: 2, recommissioned: 0 });
    const renamed = records.map((r, i) => (i === 0 ? { ...r, name: 'Balai Desa' } : r));
    expect(await registry.upsert(renamed)).toEqual({ added: 0, updated: 1, unchanged: 1, recommissioned: 0 });
    expect((await registry.list()).map((s) => s.siteId)).toEqual(['kutim-sangatta-01', 'paser-grogot-02']);
  });
});

describe('sites set', () => {
  const parsed = parseSiteFile([header, good[0]].join('\n'), 'csv');
  const existing = parsed.ok ? (parsed.value[0]?.record ?? null) : null;

  it('changes some fields of a registered site, validated like an import row', () => {
    const changed = applySiteSet('kutim-sangatta-01', existing, [
      'lvd_volts=11.8',
      'name=Balai Desa',
      'delivery_interval_sec=',
    ]);
    expect(
      changed.ok && [changed.value.lowVoltageDisconnectVolts, changed.value.name, changed.value.deliveryIntervalSec],
    ).toEqual([11.8, 'Balai Desa', null]);
    const bad = applySiteSet('kutim-sangatta-01', existing, ['kecamatanCode=64.01.04']);
    expect(bad.ok ? '' : bad.message).toBe(
      [
        'kecamatan_code: 64.01.04 is not a kecamatan of kabupaten 64.08',
        'desa_code: 64.08.05.2001 is not a desa of kecamatan 64.01.04',
      ].join('\n'),
    );
    const unknown = applySiteSet('kutim-sangatta-01', existing, ['lvd=11']);
    expect(unknown.ok ? '' : unknown.message).toContain('lvd=11: give field=value, with a field among name,');
  });

  it('registers a new site only when every required field is given', () => {
    const partial = applySiteSet('kutim-new', null, ['name=Desa Baru']);
    expect(partial.ok ? '' : partial.message).toContain('kabupaten_code:');
  });
});
