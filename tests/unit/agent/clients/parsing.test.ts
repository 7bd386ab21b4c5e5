import { describe, expect, it } from 'vitest';
import { parseLeases } from '../../../../agent/src/probes/clients/leases-source.js';
import { parseArp, parseIpNeigh } from '../../../../agent/src/probes/clients/neighbour-source.js';

const ARP = [
  'IP address       HW type     Flags       HW address            Mask     Device',
  '192.168.1.1      0x1         0x2         aa:bb:cc:00:00:01     *        eth0',
  '192.168.1.20     0x1         0x2         AA:BB:CC:00:00:20     *        eth0',
  '192.168.1.21     0x1         0x0         00:00:00:00:00:00     *        eth0',
  '192.168.1.22     0x1         0x6         aa:bb:cc:00:00:22     *        eth0',
  '10.9.0.5         0x1         0x2         aa:bb:cc:00:00:99     *        wlan0',
  'this line is garbage',
  '192.168.1.23     0x1         zz          aa:bb:cc:00:00:23     *        eth0',
  '',
].join('\n');

describe('neighbour table parsing', () => {
  it('keeps complete entries, leaves out incomplete ones and the gateway, and counts garbage', () => {
    expect(parseArp(ARP, null, new Set(['192.168.1.1']))).toEqual({
      macs: ['aa:bb:cc:00:00:20', 'aa:bb:cc:00:00:22', 'aa:bb:cc:00:00:99'],
      skipped: 2,
    });
  });

  it('keeps only the configured LAN interface', () => {
    expect(parseArp(ARP, 'wlan0', new Set()).macs).toEqual(['aa:bb:cc:00:00:99']);
  });

  it('reads `ip -j neigh`, with IPv6 neighbours, leaving out routers and dead entries', () => {
    const json = JSON.stringify([
      { dst: '192.168.1.20', dev: 'eth0', lladdr: 'aa:bb:cc:00:00:20', state: ['REACHABLE'] },
      { dst: 'fe80::1', dev: 'eth0', lladdr: 'aa:bb:cc:00:00:01', router: null, state: ['STALE'] },
      { dst: 'fd00::30', dev: 'eth0', lladdr: 'aa:bb:cc:00:00:30', state: ['STALE'] },
      { dst: 'fd00::31', dev: 'eth0', state: ['FAILED'] },
      { dst: 'fd00::32', dev: 'eth0', lladdr: 'aa:bb:cc:00:00:32', state: ['INCOMPLETE'] },
      { dst: 'fd00::33', dev: 'eth0', lladdr: 'not-a-mac', state: ['REACHABLE'] },
    ]);
    expect(parseIpNeigh(json, 'eth0', new Set())).toEqual({
      macs: ['aa:bb:cc:00:00:20', 'aa:bb:cc:00:00:30'],
      skipped: 1,
    });
    expect(parseIpNeigh('{"not":"an array"}', null, new Set())).toBeNull();
    expect(parseIpNeigh('garbage', null, new Set())).toBeNull();
  });
});

describe('dnsmasq leases parsing', () => {
  const nowMs = 1_800_000_000_000;
  const future = nowMs / 1000 + 3600;
  const past = nowMs / 1000 - 10;

  it('counts unexpired leases by MAC, DHCPv6 leases by client id, and skips garbage', () => {
    const text = [
      `${future} aa:bb:cc:00:00:01 192.168.1.101 phone-a 01:aa:bb:cc:00:00:01`,
      `${future} AA:BB:CC:00:00:01 192.168.1.111 phone-a *`,
      `0 aa:bb:cc:00:00:02 192.168.1.102 * *`,
      `${past} aa:bb:cc:00:00:03 192.168.1.103 old *`,
      'duid 00:01:00:01:2c:aa:bb:cc:dd:ee:ff:00:11:22',
      `${future} 12345678 fd00::50 laptop 00:01:00:01:aa:bb`,
      'garbage garbage',
      `${future} aa:bb:cc:00:00:04 192.168.1.104 only-four`,
      '',
    ].join('\n');
    expect(parseLeases(text, nowMs)).toEqual({
      ids: ['aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02', 'client-id 00:01:00:01:aa:bb'],
      valid: 5,
      skipped: 2,
    });
  });
});
