export {
  createAgentHealth,
  type AgentHealth,
  type AgentHealthOptions,
  type AgentHealthSettings,
} from './agent-health.js';
export { checkPluginHealth, type PluginHealthCheckOptions } from './check-plugin-health.js';
export { computeHealth, type ComputeHealthOptions } from './compute-health.js';
export { sameHealth } from '@openclaw-node/core';
export {
  createHealthMonitor,
  type HealthMonitor,
  type HealthMonitorOptions,
  type HealthRound,
} from './health-monitor.js';
export { healthFromPing } from './ping-health.js';
