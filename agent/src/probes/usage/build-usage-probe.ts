import type { Logger } from '@pantau/shared';
import type { DataBudget } from '../../budget/data-budget.js';
import type { Clock } from '../../clock.js';
import type { UsageConfig } from '../../config/schema.js';
import type { FileReader } from '../../host/file-reader.js';
import type { SnmpClient } from '../../snmp/snmp-client.js';
import { createFailureLog } from '../failure-log.js';
import type { CounterSource } from './counter-source.js';
import {
  createInterfaceCounterSource,
  defaultInterfaceCounterPaths,
  type InterfaceCounterPaths,
} from './interface-counters.js';
import { createRateSampler } from './rate-sampler.js';
import { createSnmpCounterSource } from './snmp-counters.js';
import type { TrafficMeter } from './traffic-meter.js';
import { createUsageProbe, type UsageProbe } from './usage-probe.js';

export interface UsageProbeIo {
  readonly clock: Clock;
  readonly files: FileReader;
  readonly snmp: SnmpClient;
  readonly trafficMeter: TrafficMeter;
  readonly budget: Pick<DataBudget, 'usage'>;
  readonly log: Logger;
  readonly paths?: InterfaceCounterPaths;
}

/** The usage probe from its config: the counter source, the rate sampler over it, the meter. */
export function buildUsageProbe(config: UsageConfig, io: UsageProbeIo): UsageProbe {
  const log = io.log.child({ module: 'usage' });
  const source: CounterSource =
    config.source === 'snmp' && config.snmp !== undefined
      ? createSnmpCounterSource({
          client: io.snmp,
          target: config.snmp,
          select: { ifIndex: config.snmp.ifIndex ?? null, ifName: config.snmp.ifName ?? null },
        })
      : createInterfaceCounterSource({
          files: io.files,
          paths: io.paths ?? defaultInterfaceCounterPaths,
          interface: config.interface ?? null,
        });
  const sampler = createRateSampler({
    source,
    clock: io.clock,
    log,
    options: {
      // IF-MIB's HC counters are 64-bit whatever the Pi's kernel does.
      counterBits: source.kind === 'snmp' ? 64 : config.counterBits,
      samplePeriodMs: config.peakSampleSec * 1000,
      maxBitsPerSec: config.maxLinkBitsPerSec,
    },
  });
  return createUsageProbe({
    kind: source.kind,
    sampler,
    meter: io.trafficMeter,
    budget: () => io.budget.usage(),
    failures: createFailureLog(log, io.clock),
  });
}
