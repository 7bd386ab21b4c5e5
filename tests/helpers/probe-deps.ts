import type { ProbeDeps } from '@pantau/agent';
import { createMemoryBudgetStore } from '../../agent/src/budget/budget-file.js';
import { createDataBudget } from '../../agent/src/budget/data-budget.js';
import { createLinkState } from '../../agent/src/probes/uptime/link-state.js';
import { createTrafficMeter } from '../../agent/src/probes/usage/traffic-meter.js';
import { fakeAgentIo } from './agent-io.js';
import { FakeClock } from './fakes.js';

/** Every probe dependency as a fake (power IO is real but never opened unless a test enables it). */
export function fakeProbeDeps(overrides: Partial<ProbeDeps> = {}): ProbeDeps {
  const clock = overrides.clock ?? new FakeClock();
  return {
    ...fakeAgentIo({ clock }),
    agentStartMonotonicMs: 0,
    trafficMeter: createTrafficMeter(),
    salt: new Uint8Array(16),
    budget: createDataBudget({
      monthlyBytes: 0,
      store: createMemoryBudgetStore(),
      clock,
      clockSynced: async () => true,
    }),
    batteryVolts: () => null,
    previousRunClean: null,
    linkState: createLinkState(clock),
    terminalSeed: null,
    publishInventory: () => {},
    ...overrides,
  };
}
