import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { RedisJobStore } from '../../src/jobs/index.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { describeJobStoreQueries } from './job-store-query-suite.js';
import { describeJobStoreRecords } from './job-store-suite.js';
import type { StoreFactory } from './helpers.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

// One redis-server for the file; a fresh key prefix per store keeps the tests apart.
const factory: StoreFactory = async (options) => {
  const store = await RedisJobStore.open({ ...options, url: redis.url, keyPrefix: `t-${randomUUID()}:` });
  return { store, cleanup: () => store.close() };
};

describeJobStoreRecords('RedisJobStore', factory);
describeJobStoreQueries('RedisJobStore', factory, { sharedStore: true });
