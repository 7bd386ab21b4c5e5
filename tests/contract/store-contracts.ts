import type { Store } from '@pantau/collector';
import { gapStoreContract } from './gap-store.contract.js';
import { ingestStoreContract } from './ingest-store.contract.js';
import { maintenanceStoreContract } from './maintenance-store.contract.js';
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
}
