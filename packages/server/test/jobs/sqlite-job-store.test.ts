import { SqliteJobStore } from '../../src/jobs/index.js';
import { describeJobStoreQueries } from './job-store-query-suite.js';
import { describeJobStoreRecords } from './job-store-suite.js';
import { tempDir, type StoreFactory } from './helpers.js';

const sqlite: StoreFactory = async (options) => {
  const { dir, remove } = await tempDir();
  const store = await SqliteJobStore.open({ ...options, dataDir: dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
};

describeJobStoreRecords('SqliteJobStore', sqlite);
describeJobStoreQueries('SqliteJobStore', sqlite);
