import { agentConfigSchema, type CommandRunner } from '@pantau/agent';
import { clientsSectionSchema, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { buildClientsProbe } from '../../../../agent/src/probes/clients/build-clients-probe.js';
import {
  IP_NET_TO_MEDIA_PHYS_ADDRESS,
  IP_NET_TO_PHYSICAL_PHYS_ADDRESS,
} from '../../../../agent/src/probes/clients/snmp-neighbours.js';
import { FakeSnmp } from '../../../helpers/fake-snmp.js';
import { captureLogger, FakeClock, fakeFiles } from '../../../helpers/fakes.js';

const signal = new AbortController().signal;
const salt = new Uint8Array(16).fill(3);

const MACS = ['aa:bb:cc:00:00:20', 'aa:bb:cc:00:00:21', 'aa:bb:cc:00:00:22', 'aa:bb:cc:00:00:23'];
const IPS = ['192.168.1.20', '192.168.1.21', '192.168.1.22', '192.168.1.23', 'fd00::77'];
const ARP = [
  'IP address       HW type     Flags       HW address            Mask     Device',
  '192.168.1.1      0x1         0x2         aa:bb:cc:00:00:01     *        eth0',
  ...MACS.map((mac, i) => `${IPS[i]}     0x1         0x2         ${mac}     *        eth0`),
  'broken line',
  '',
].join('\n');
const ROUTES =
  'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n';

function build(
  clients: Record<string, unknown>,
  tree: Record<string, string>,
  extra: { snmp?: FakeSnmp; commands?: CommandRunner } = {},
) {
  const config = agentConfigSchema.parse({ siteId: 's1', probes: { clients } }).probes.clients;
  const clock = new FakeClock();
  const { log, lines } = captureLogger();
  const commands: CommandRunner = extra.commands ?? { run: async () => ok('[]') };
  const probe = buildClientsProbe(config, {
    clock,
    files: fakeFiles(tree),
    snmp: extra.snmp ?? new FakeSnmp(),
    commands,
    salt,
    log,
  });
  return { probe, clock, lines };
}

/** No client address may leave the probe: not in the section, not in a log line. */
function expectNoAddresses(text: string) {
  for (const address of [...MACS, ...IPS, 'aa:bb:cc:00:00:01', '192.168.1.1']) expect(text).not.toContain(address);
  expect(text).not.toMatch(/([0-9a-f]{2}:){5}[0-9a-f]{2}/i);
  expect(text).not.toMatch(/aabbcc0000/i);
}

describe('clients probe', () => {
  it('counts neighbours (not the gateway) and publishes and logs no address', async () => {
    const { probe, lines } = build({ maxTracked: 16 }, { '/proc/net/arp': ARP, '/proc/net/route': ROUTES });
    const section = clientsSectionSchema.parse(await probe.measure(signal));
    expect(section).toEqual({ source: 'neighbour', clientsInterval: 4, clientsHour: 4, error: null });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'clients_skipped', count: 1 }));
    expectNoAddresses(JSON.stringify(section));
    expectNoAddresses(JSON.stringify(lines));
  });

  it('adds IPv6 neighbours from `ip -j neigh` when asked', async () => {
    const neigh = JSON.stringify([
      { dst: IPS[4], dev: 'eth0', lladdr: 'aa:bb:cc:00:00:77', state: ['REACHABLE'] },
      { dst: IPS[0], dev: 'eth0', lladdr: MACS[0], state: ['REACHABLE'] },
    ]);
    const requests: string[][] = [];
    const commands: CommandRunner = {
      async run(request) {
        requests.push([request.file, ...request.args]);
        return ok(neigh);
      },
    };
    const { probe, lines } = build(
      { ipNeigh: true },
      { '/proc/net/arp': ARP, '/proc/net/route': ROUTES },
      { commands },
    );
    const section = await probe.measure(signal);
    expect(section).toMatchObject({ clientsInterval: 5, error: null });
    expect(requests).toEqual([['ip', '-j', 'neigh', 'show']]);
    expectNoAddresses(JSON.stringify([section, lines]).replace('aa:bb:cc:00:00:77', ''));
    expect(JSON.stringify([section, lines])).not.toContain('aa:bb:cc:00:00:77');
  });

  it('warns (rate-limited, with a count only) when the cap drops devices', async () => {
    const many = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      ...Array.from({ length: 40 }, (_, i) => `10.0.0.${i + 2} 0x1 0x2 aa:bb:cc:00:01:${(i + 16).toString(16)} * eth0`),
    ].join('\n');
    const { probe, lines, clock } = build({ maxTracked: 16 }, { '/proc/net/arp': many });
    expect(await probe.measure(signal)).toMatchObject({ clientsInterval: 16, clientsHour: 16 });
    clock.advance(60_000);
    await probe.measure(signal);
    const warnings = lines.filter((l) => l.event === 'clients_dropped');
    expect(warnings).toEqual([expect.objectContaining({ count: 24 })]);
    expect(JSON.stringify(lines)).not.toMatch(/10\.0\.0\.|aa:bb:cc/);
  });

  it('counts DHCP leases; an unreadable or garbled leases file gives null counts and a code', async () => {
    const future = Math.floor(1_800_000_000_000 / 1000) + 3600;
    const leases = `${future} ${MACS[0]} ${IPS[0]} phone *\n${future} ${MACS[1]} ${IPS[1]} * *\n`;
    const tree: Record<string, string> = { '/var/lib/misc/dnsmasq.leases': leases };
    const { probe, lines } = build({ source: 'dhcp' }, tree);
    expect(await probe.measure(signal)).toEqual({ source: 'dhcp', clientsInterval: 2, clientsHour: 2, error: null });

    tree['/var/lib/misc/dnsmasq.leases'] = 'garbage\n\u0000\u0001 more garbage\n';
    expect(await probe.measure(signal)).toEqual({
      source: 'dhcp',
      clientsInterval: null,
      clientsHour: null,
      error: 'leases_unparsable',
    });
    delete tree['/var/lib/misc/dnsmasq.leases'];
    const missing = await probe.measure(signal);
    expect(clientsSectionSchema.parse(missing)).toMatchObject({ clientsInterval: null, error: 'leases_unreadable' });
    // The next cycle tries again.
    tree['/var/lib/misc/dnsmasq.leases'] = leases;
    expect(await probe.measure(signal)).toMatchObject({ clientsInterval: 2, error: null });
    expect(lines.filter((l) => l.event === 'probe_failed').map((l) => l.code)).toEqual([
      'leases_unparsable',
      'leases_unreadable',
    ]);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'probe_recovered' }));
    expectNoAddresses(JSON.stringify(lines));
  });

  it('says neighbours_unreadable without /proc/net/arp', async () => {
    const { probe } = build({}, {});
    expect(await probe.measure(signal)).toEqual({
      source: 'neighbour',
      clientsInterval: null,
      clientsHour: null,
      error: 'neighbours_unreadable',
    });
  });

  it("counts the router's IP-MIB neighbours on the LAN ifIndex, falling back to ipNetToMediaTable", async () => {
    const mac = (n: number) => Uint8Array.from([0xaa, 0xbb, 0xcc, 0, 0, n]);
    const snmp = new FakeSnmp()
      .set(`${IP_NET_TO_PHYSICAL_PHYS_ADDRESS}.3.1.4.192.168.1.20`, mac(0x20))
      .set(`${IP_NET_TO_PHYSICAL_PHYS_ADDRESS}.3.2.16.253.0.0.0.0.0.0.0.0.0.0.0.0.0.0.119`, mac(0x20))
      .set(`${IP_NET_TO_PHYSICAL_PHYS_ADDRESS}.3.1.4.192.168.1.21`, mac(0x21))
      .set(`${IP_NET_TO_PHYSICAL_PHYS_ADDRESS}.1.1.4.100.64.0.1`, mac(0x01));
    const { probe, lines } = build({ source: 'snmp', snmp: { host: '127.0.0.1', lanIfIndex: 3 } }, {}, { snmp });
    const section = await probe.measure(signal);
    expect(section).toEqual({ source: 'snmp', clientsInterval: 2, clientsHour: 2, error: null });

    const old = new FakeSnmp().set(`${IP_NET_TO_MEDIA_PHYS_ADDRESS}.3.192.168.1.20`, mac(0x20));
    const fallback = build({ source: 'snmp', snmp: { host: '127.0.0.1' } }, {}, { snmp: old });
    expect(await fallback.probe.measure(signal)).toMatchObject({ clientsInterval: 1, error: null });

    snmp.failWith = 'snmp_timeout';
    expect(await probe.measure(signal)).toMatchObject({ clientsInterval: null, error: 'snmp_timeout' });
    expectNoAddresses(JSON.stringify([section, lines]));
  });
});

describe('clients probe without iproute2', () => {
  it('still counts the ARP table, and says once that ip -j neigh failed', async () => {
    const commands: CommandRunner = {
      run: async () => ({ ok: false, code: 'command_missing', message: 'ip is not installed' }),
    };
    const { probe, lines, clock } = build(
      { ipNeigh: true },
      { '/proc/net/arp': ARP, '/proc/net/route': ROUTES },
      { commands },
    );
    expect(await probe.measure(signal)).toMatchObject({ clientsInterval: 4, error: null });
    clock.advance(60_000);
    await probe.measure(signal);
    expect(lines.filter((l) => l.event === 'clients_partial')).toEqual([
      expect.objectContaining({ msg: expect.stringContaining('command_missing') }),
    ]);
  });
});
