export { findAgentEntry } from './agent-entry.js';
export { agentArgv } from './agent-argv.js';
export {
  applyServicePlan,
  writeServiceFile,
  type ApplyServicePlanOptions,
  type ApplyServicePlanResult,
} from './apply-service-plan.js';
export { createServiceCommandRunner, runServiceCommand } from './command-runner.js';
export { describeServicePlan } from './describe-service-plan.js';
export { displayArgv } from './display-argv.js';
export {
  describeAgentExitCode,
  NO_RESTART_EXIT_CODES,
  SERVICE_EXIT_CODES,
  supervisedExitCode,
  SUPERVISOR_ENV,
  type ServiceExitCode,
  type Supervisor,
} from './exit-codes.js';
export { planLocalService, type LocalServiceOptions, type LocalServicePlan } from './local-service.js';
export { checkServiceConfig } from './service-config-check.js';
export { defaultMacLogDir, planLaunchAgent, renderLaunchAgentPlist } from './launch-agent.js';
export { planServiceInstall } from './plan-service-install.js';
export { renderPlist, type PlistValue } from './plist.js';
export { sessionEnvironmentWarnings } from './session-environment.js';
export {
  DEFAULT_SERVICE_LABELS,
  resolveServiceOptions,
  type ResolvedServiceOptions,
} from './service-options.js';
export type {
  CommandResult,
  CommandRunner,
  PlanServiceOptions,
  ServiceAction,
  ServiceDirectory,
  ServiceFile,
  ServicePlan,
  ServicePlatform,
  SessionTarget,
  ToleratedFailure,
} from './service-plan.js';
export { serviceStatus, type ServiceStatus, type ServiceStatusOptions } from './service-status.js';
export { serviceSteps, type ApplyAction, type ServiceStep } from './service-steps.js';
export {
  parseLaunchctlPrint,
  parseSchtasksQuery,
  parseServiceStatus,
  parseSystemdShow,
  type ParsedServiceState,
} from './status-parsers.js';
export { planSystemdService, renderSystemdUnit, SESSION_ENVIRONMENT } from './systemd-unit.js';
export { systemdEnvironmentAssignment, systemdExecArg, systemdExecLine } from './systemd-escape.js';
export { defaultWindowsDataDir, planScheduledTask, renderTaskXml } from './task-xml.js';
export { windowsCommandLine, windowsQuoteArg } from './windows-command-line.js';
