import type {
  AlertOutbox,
  ControlsStore,
  HealthRetention,
  HealthStateStore,
  SiteRegistry,
  Store,
} from '@pantau/collector';
import { alertOutboxContract } from './alert-outbox.contract.js';
import { auditLogContract } from './audit-log.contract.js';
import { controlsContract } from './controls.contract.js';
import { dailyFactsContract } from './daily-facts.contract.js';
import { fleetViewContract } from './fleet-view.contract.js';
import { gapStoreContract } from './gap-store.contract.js';
import { healthRetentionContract } from './health-retention.contract.js';
import { healthStateContract } from './health-state.contract.js';
import { ingestStoreContract } from './ingest-store.contract.js';
import { maintenanceStoreContract } from './maintenance-store.contract.js';
import { registryContract } from './registry.contract.js';
import { reportStoreContract } from './report-store.contract.js';

/**
 * Every role's contract suite against one implementation; `open` gives a fresh, empty store. Each
 * implementation's test file calls this once (SQLite in tests/unit, PostgreSQL in tests/integration).
 * A new role adds its suite here.
 */
export function storeContracts(name: string, open: () => Promise<Store>): void {
  ingestStoreContract(name, open);
  gapStoreContract(name, open);
  maintenanceStoreContract(name, open);
  reportStoreContract(name, open);
  healthStoreContracts(name, open);
  dailyFactsContract(name, open);
  auditLogContract(name, open);
  fleetViewContract(name, open);
}

/** The health roles' suites (the memory store runs these too). */
export function healthStoreContracts(
  name: string,
  open: () => Promise<
    SiteRegistry & HealthStateStore & AlertOutbox & ControlsStore & HealthRetention & { close(): Promise<void> }
  >,
): void {
  registryContract(name, open);
  healthStateContract(name, open);
  alertOutboxContract(name, open);
  controlsContract(name, open);
  healthRetentionContract(name, open);
}
