import { createMemoryHealthStore, createMemoryRegistry } from '@pantau/collector';
import { healthStoreContracts } from '../../../contract/store-contracts.js';

healthStoreContracts('memory', async () => ({
  ...createMemoryHealthStore(),
  ...createMemoryRegistry(),
  close: async () => {},
}));
