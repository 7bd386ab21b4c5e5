import {
  createMemoryHealthStore,
  createMemoryRegistry,
  importSites,
  newAlertRecord,
  newNocState,
  parseCollectorArgs,
  runAlertsCommand,
  setSite,
} from '@pantau/collector';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 11, 2, 8);
const HEADER =
  'site_id,name,kabupaten_code,kabupaten,kecamatan_code,kecamatan,desa_code,desa,group,latitude,longitude,lvd_volts,sample_interval_sec,delivery_interval_sec';
const ROW =
  'kutim-01,Kantor Desa Swarga Bara,64.08,Kutai Timur,64.08.05,Sangatta Utara,64.08.05.2001,Swarga Bara,village_office,0.5132,117.5421,11.5,60,300';

describe('pantau-collector sites import / set', () => {
  it('imports idempotently, names every bad row and imports nothing then', async () => {
    const registry = createMemoryRegistry();
    expect((await importSites(registry, 'sites.csv', `${HEADER}\n${ROW}\n`)).out).toBe(
      'sites.csv: 1 added, 0 updated, 0 unchanged\n',
    );
    expect((await importSites(registry, 'sites.csv', `${HEADER}\n${ROW}\n`)).out).toMatch(
      /0 added, 0 updated, 1 unchanged/,
    );
    const bad = `${HEADER}\n${ROW.replace('kutim-01', 'kutim-02').replace('school', 'x')}\n${ROW.replace('kutim-01', 'kutim-03').replace('village_office', 'mosque')}\n${ROW.replace('kutim-01', 'kutim-04').replace('64.08.05,', '64.01.05,')}\n`;
    const refused = await importSites(registry, 'sites.csv', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/nothing imported \(registry_invalid\)/);
    expect(refused.err).toMatch(/line 3, group: /);
    expect(refused.err).toMatch(/line 4, kecamatan_code: 64\.01\.05 is not a kecamatan of kabupaten 64\.08/);
    expect((await registry.list()).map((s) => s.siteId)).toEqual(['kutim-01']);
  });

  it('sets fields by their CSV names as --field value, refuses bad values, and clears with an empty one', async () => {
    const registry = createMemoryRegistry();
    await importSites(registry, 'sites.csv', `${HEADER}\n${ROW}\n`);
    const command = parseCollectorArgs(['sites', 'set', 'kutim-01', '--lvd_volts', '11.8', '--db', 'x.sqlite'], {});
    expect(command).toEqual({
      kind: 'sites_set',
      configPath: undefined,
      dbPath: 'x.sqlite',
      siteId: 'kutim-01',
      assignments: ['lvd_volts=11.8'],
    });
    if (command.kind !== 'sites_set') throw new Error('not parsed');
    expect((await setSite(registry, 'kutim-01', command.assignments)).out).toBe('kutim-01: updated\n');
    expect((await registry.get('kutim-01'))?.lowVoltageDisconnectVolts).toBe(11.8);
    const refused = await setSite(registry, 'kutim-01', ['latitude=117.5']);
    expect([refused.code, refused.err]).toEqual([1, expect.stringMatching(/latitude: is north of Indonesia/)]);
    expect((await setSite(registry, 'kutim-01', ['lvd_volts='])).code).toBe(0);
    expect((await registry.get('kutim-01'))?.lowVoltageDisconnectVolts).toBeNull();
    expect((await setSite(registry, 'nobody', ['name=X'])).err).toMatch(/a new site needs every required field/);
  });

  it('says when an import or a set recommissions a decommissioned site', async () => {
    const registry = createMemoryRegistry();
    const second = ROW.replace('kutim-01', 'kutim-02');
    await importSites(registry, 'sites.csv', `${HEADER}\n${ROW}\n${second}\n`);
    await registry.decommission('kutim-01', T0);
    await registry.decommission('kutim-02', T0);
    expect((await importSites(registry, 'sites.csv', `${HEADER}\n${ROW}\n`)).out).toBe(
      'sites.csv: 0 added, 1 updated, 0 unchanged (of the updated, 1 recommissioned: they were decommissioned and are judged again)\n',
    );
    expect((await setSite(registry, 'kutim-02', ['lvd_volts=11.8'])).out).toBe(
      'kutim-02: updated; recommissioned (it was decommissioned; health judges it again)\n',
    );
    expect((await registry.list()).map((s) => s.decommissionedMs)).toEqual([null, null]);
  });
});

describe('pantau-collector alerts', () => {
  const store = () => {
    const s = createMemoryHealthStore();
    const alert = { ...newAlertRecord('kutim-01', 'offline', T0), phase: 'firing' as const, active: true };
    return {
      s,
      ready: s.commit({
        sites: [],
        noc: newNocState(T0),
        alerts: [alert],
        incidents: [],
        transitions: [],
        outbox: [],
        savedAtMs: T0,
      }),
    };
  };

  it('parses actions and refuses what cannot work, naming it', () => {
    const parse = (...argv: string[]) => parseCollectorArgs(['alerts', ...argv], { USER: 'ayu' });
    expect(parse()).toMatchObject({ kind: 'alerts', action: { type: 'list' } });
    expect(parse('ack', 'kutim-01')).toMatchObject({ action: { type: 'ack', key: 'kutim-01/offline', by: 'ayu' } });
    expect(parse('silence', '--site', 'a', '--for', '2h', '--kind', 'offline,degraded')).toMatchObject({
      action: { type: 'silence', scope: { siteId: 'a' }, kinds: ['offline', 'degraded'], window: { forMs: 7_200_000 } },
    });
    expect(parse('silence', '--for', '2h')).toMatchObject({
      kind: 'usage_error',
      message: expect.stringMatching(/--site/),
    });
    expect(parse('silence', '--site', 'a', '--for', 'two hours')).toMatchObject({ kind: 'usage_error' });
    expect(parse('silence', '--site', 'a', '--for', '1h', '--kind', 'fire')).toMatchObject({ kind: 'usage_error' });
    expect(parse('maintenance', '--kabupaten', '64.08', '--for', '1h', '--kind', 'offline')).toMatchObject({
      kind: 'usage_error',
    });
    expect(parse('snooze')).toMatchObject({ kind: 'usage_error' });
  });

  it('asks for an acknowledgement only of an alert that fires, and keeps silences and windows', async () => {
    const { s, ready } = store();
    await ready;
    const ack = await runAlertsCommand(s, { type: 'ack', key: 'kutim-01/offline', by: 'ayu', note: '' }, false, T0);
    expect(ack.code).toBe(0);
    expect(await s.pendingAcks()).toEqual([{ key: 'kutim-01/offline', by: 'ayu', note: '', requestedMs: T0 }]);
    expect((await runAlertsCommand(s, { type: 'ack', key: 'x/offline', by: 'ayu', note: '' }, false, T0)).code).toBe(1);
    const window = { fromIso: undefined, untilIso: undefined, forMs: 3_600_000 };
    const silenced = await runAlertsCommand(
      s,
      { type: 'silence', scope: { kecamatanCode: '64.08.05' }, kinds: [], window, by: 'ayu', comment: '' },
      false,
      T0,
    );
    const id = /^(sil-[0-9a-f]+):/.exec(silenced.out)?.[1] ?? '';
    expect((await s.silences()).map((x) => [x.id, x.startsMs, x.endsMs])).toEqual([[id, T0, T0 + 3_600_000]]);
    const bad = await runAlertsCommand(
      s,
      { type: 'maintenance', scope: { kecamatanCode: '64.8' }, kinds: [], window, by: 'ayu', comment: '' },
      false,
      T0,
    );
    expect(bad.code).toBe(1);
    const backwards = { fromIso: '2026-12-02T10:00Z', untilIso: '2026-12-02T09:00Z', forMs: undefined };
    const refused = await runAlertsCommand(
      s,
      { type: 'maintenance', scope: { siteId: 'kutim-01' }, kinds: [], window: backwards, by: 'ayu', comment: '' },
      false,
      T0,
    );
    expect(refused.err).toMatch(/ends before it starts/);
    expect((await runAlertsCommand(s, { type: 'end', id }, false, T0 + 60_000)).code).toBe(0);
    expect((await s.silences())[0]?.endsMs).toBe(T0 + 60_000);
    const listed = await runAlertsCommand(s, { type: 'list' }, false, T0 + 120_000);
    expect(listed.out).toMatch(/^ALERT\s+PHASE\s+CAUSE/);
    expect(listed.out).toMatch(/kutim-01\/offline\s+firing/);
    expect(listed.out).not.toMatch(/Silences/);
  });

  it('prints the overview and what an action did as JSON with --json', async () => {
    const { s, ready } = store();
    await ready;
    const window = { fromIso: undefined, untilIso: undefined, forMs: 3_600_000 };
    const scope = { siteId: 'kutim-01' };
    const silenced = await runAlertsCommand(
      s,
      { type: 'silence', scope, kinds: ['offline'], window, by: 'ayu', comment: 'PLN' },
      true,
      T0,
    );
    expect(JSON.parse(silenced.out)).toMatchObject({
      id: expect.stringMatching(/^sil-/),
      scope,
      endsMs: T0 + 3_600_000,
    });
    const listed = JSON.parse((await runAlertsCommand(s, { type: 'list' }, true, T0 + 60_000)).out);
    expect(listed.alerts.map((a: { key: string; phase: string }) => [a.key, a.phase])).toEqual([
      ['kutim-01/offline', 'firing'],
    ]);
    expect(listed.silences.map((x: { by: string; comment: string }) => [x.by, x.comment])).toEqual([['ayu', 'PLN']]);
    expect(listed.incidents).toEqual([]);
  });
});
