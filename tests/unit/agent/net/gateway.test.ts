import { describe, expect, it } from 'vitest';
import { createGatewayDetector, parseDefaultGateway } from '../../../../agent/src/probes/latency/gateway.js';
import { fakeFiles } from '../../../helpers/fakes.js';
import { routeTable } from '../../../helpers/net-fakes.js';

describe('default gateway from /proc/net/route', () => {
  it('reads the little-endian hex gateway of the default route', () => {
    const table = routeTable([
      ['eth0', '00000000', '0101A8C0', '0003', '0', '0', '100', '00000000', '0', '0', '0'],
      ['eth0', '0001A8C0', '00000000', '0001', '0', '0', '100', '00FFFFFF', '0', '0', '0'],
    ]);
    expect(parseDefaultGateway(table)).toBe('192.168.1.1');
  });

  it('takes the lowest metric when there are several default routes', () => {
    const table = routeTable([
      ['wlan0', '00000000', '0164A8C0', '0003', '0', '0', '600', '00000000', '0', '0', '0'],
      ['eth0', '00000000', '0100000A', '0003', '0', '0', '100', '00000000', '0', '0', '0'],
    ]);
    expect(parseDefaultGateway(table)).toBe('10.0.0.1');
  });

  it('ignores routes without a gateway, down routes and non-default routes', () => {
    const table = routeTable([
      ['eth0', '00000000', '00000000', '0001', '0', '0', '0', '00000000', '0', '0', '0'],
      ['eth0', '00000000', '0101A8C0', '0002', '0', '0', '0', '00000000', '0', '0', '0'],
      ['eth0', '0000A8C0', '0101A8C0', '0003', '0', '0', '0', '0000FFFF', '0', '0', '0'],
    ]);
    expect(parseDefaultGateway(table)).toBeNull();
    expect(parseDefaultGateway('')).toBeNull();
    expect(parseDefaultGateway('garbage\nnot a table')).toBeNull();
  });

  it('reads the table under an injected root, and says gateway_unknown without one', async () => {
    const files = fakeFiles({
      '/fake/proc/net/route': routeTable([
        ['eth0', '00000000', '0101A8C0', '0003', '0', '0', '0', '00000000', '0', '0', '0'],
      ]),
    });
    expect(await createGatewayDetector(files, '/fake/proc').detect()).toEqual({ ok: true, value: '192.168.1.1' });
    expect(await createGatewayDetector(files, '/elsewhere').detect()).toMatchObject({
      ok: false,
      code: 'gateway_unknown',
    });
    const noDefault = fakeFiles({ '/proc/net/route': routeTable([]) });
    expect(await createGatewayDetector(noDefault).detect()).toMatchObject({ ok: false, code: 'gateway_unknown' });
  });
});
