export { createAgent, type Agent, type AgentStopReason, type CreateAgentOptions } from './agent.js';
export { type AgentConfig, AGENT_CONFIG_SCHEMA, NODE_ID_PATTERN } from './config/agent-config.js';
export { defaultConfigPath } from './config/default-path.js';
export { expandEnv } from './config/expand-env.js';
export { loadAgentConfig, type LoadAgentConfigOptions } from './config/load-config.js';
export { resolveAgentConfig, type ResolveAgentConfigOptions } from './config/resolve-config.js';
export { createBackoff, type Backoff, type BackoffOptions } from './connection/backoff.js';
export { PluginRefs } from './connection/plugin-refs.js';
export { parseServerUrl, type SocketEndpoint } from './connection/server-url.js';
export { createExecutor, type Executor, type ExecutorOptions } from './executor/executor.js';
export {
  DEFAULT_LIMITS as DEFAULT_JOB_LIMITS,
  JobScheduler,
  type Admission,
  type ScheduledJob,
} from './executor/job-scheduler.js';
export {
  createPathGuard,
  type PathGuard,
  type PathGuardFs,
  type PathGuardOptions,
} from './executor/path-guard.js';
export type { RuntimeFactory } from './executor/action-context.js';
export { createAgentLogger, type AgentLoggerOptions } from './logger.js';
export { runAgentMain, type AgentMainIo } from './main.js';
export {
  loadPluginCatalog,
  type LoadedAction,
  type LoadedPlugin,
  type LoadPluginCatalogOptions,
  type PluginCatalog,
  type SkippedPluginEntry,
} from './plugins/plugin-catalog.js';
export { createRegistrySource, type PluginSource, type ResolvedPlugin } from './plugins/plugin-source.js';
export { createPluginSources, type PluginSourcesOptions } from './plugins/plugin-sources.js';
export { createPackageSource, type PackageSourceOptions } from './plugins/package-source.js';
export { createPathSource } from './plugins/path-source.js';
export { findUnusedPluginConfig } from './plugins/unused-plugin-config.js';
export { compilePathPlan, type PathPlan, type PathValue } from './plugins/path-plan.js';
export {
  applyServicePlan,
  checkServiceConfig,
  createServiceCommandRunner,
  describeServicePlan,
  displayArgv,
  findAgentEntry,
  planLocalService,
  serviceStatus,
  type ApplyServicePlanOptions,
  type ApplyServicePlanResult,
  type CommandRunner,
  type LocalServiceOptions,
  type LocalServicePlan,
  type ServicePlan,
  type ServicePlatform,
  type ServiceStatus,
  type ServiceStatusOptions,
  type ServiceStep,
} from './service/index.js';
export {
  checkDesktopSession,
  renderDoctorReport,
  runDoctor,
  type DoctorCheck,
  type DoctorOptions,
  type DoctorReport,
  type DoctorStatus,
  type RenderDoctorReportOptions,
} from './doctor/index.js';
export {
  createClackPrompter,
  describeConnection,
  nextSteps,
  runAgentInit,
  splitList,
  type AgentInitOptions,
  type AgentInitResult,
  type InitPrompter,
} from './init/index.js';
export {
  LOG_FORMATS,
  createAgentLog,
  createRotatingLogFile,
  defaultLogFile,
  followLog,
  formatLogLine,
  levelNumber,
  parseLogRecord,
  readLastLogLines,
  type AgentLog,
  type AgentLogOptions,
  type FollowLogOptions,
  type FormatLogLineOptions,
  type LogFormat,
  type ReadLastLogLinesOptions,
  type RotatingLogFile,
  type RotatingLogFileOptions,
} from './logging/index.js';
