import { MemoryJobStore } from '../../src/jobs/index.js';
import { describeJobStoreQueries } from './job-store-query-suite.js';
import { describeJobStoreRecords } from './job-store-suite.js';
import type { StoreFactory } from './helpers.js';

const memory: StoreFactory = async (options) => {
  const store = new MemoryJobStore(options);
  return { store, cleanup: () => store.close() };
};

describeJobStoreRecords('MemoryJobStore', memory);
describeJobStoreQueries('MemoryJobStore', memory);
