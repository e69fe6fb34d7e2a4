export {
  DROPPED_PARAMS,
  JOB_STATES,
  JOB_TRANSITIONS,
  NEVER_SENT_END_STATES,
  TERMINAL_STATES,
  assertTransition,
  canTransition,
  defaultJobError,
  dropsParams,
  isDroppedParams,
  isJobState,
  isTerminal,
  type JobError,
  type JobEvent,
  type JobEventData,
  type JobEventType,
  type JobLogEventData,
  type JobProgressEventData,
  type JobRecord,
  type JobState,
  type JobStateEventData,
  type TerminalJobState,
} from './job-model.js';
export {
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  DEFAULT_LOG_TAIL_LINES,
  DEFAULT_MAX_EVENTS_PER_JOB,
  DEFAULT_MAX_LOG_LINE_LENGTH,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type CreateJobResult,
  type JobEventListener,
  type JobFilter,
  type JobPage,
  type JobStore,
  type JobStoreOptions,
  type NewJob,
  type PageRequest,
  type ProgressUpdate,
  type PurgeOptions,
  type TransitionPatch,
} from './store/job-store.js';
export { REDACTED, redactParams } from './store/redact.js';
export type { StoreWriteObserver, StoreWriteOp } from './store/write-timing.js';
export { MemoryJobStore } from './store/memory/memory-job-store.js';
export {
  JOBS_FILE_NAME,
  SqliteJobStore,
  type SqliteJobStoreOptions,
} from './store/sqlite/sqlite-job-store.js';
export { SCHEMA_VERSION } from './store/sqlite/sqlite-schema.js';
export {
  SQLITE_FIX,
  loadSqliteDriver,
  type SqliteDriver,
  type SqliteDriverImporter,
} from './store/sqlite/sqlite-driver.js';
export {
  JOB_STORE_KINDS,
  openJobStore,
  type JobStoreKind,
  type OpenJobStoreOptions,
} from './store/open-job-store.js';
export {
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_MAX_AGE_MS,
  DEFAULT_RETENTION_MAX_COUNT,
  startRetention,
  type Retention,
  type RetentionOptions,
} from './store/retention.js';
export {
  DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
  DEFAULT_REDIS_EVENT_BACKLOG,
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_OFFLINE_TIMEOUT_MS,
} from './store/redis/redis-open.js';
export { RedisJobStore, type RedisJobStoreOptions } from './store/redis/redis-job-store.js';
export { parseRedisUrl, type RedisAddress } from '../redis/redis-url.js';
