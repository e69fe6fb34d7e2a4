import { sameHealth, type NodeHealthEvent, type Platform, type PluginHealth } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/agent-config.js';
import type { RuntimeFactory } from '../executor/action-context.js';
import type { PluginCatalog } from '../plugins/plugin-catalog.js';
import { computeHealth } from './compute-health.js';
import { createHealthMonitor, type HealthMonitor } from './health-monitor.js';

/** Tuning of the capability health checks; the interval normally comes from `health_interval`. */
export interface AgentHealthSettings {
  /** Deadline of one plugin's ping. Default 10 s. */
  timeoutMs?: number;
  /** Pings run at once. Default 4. */
  concurrency?: number;
  /** Overrides `health_interval` (seconds) from the config; 0 checks only at start. */
  intervalMs?: number;
  /** The first hello waits at most this long for the first checks. Default 3 s. */
  helloWaitMs?: number;
}

export interface AgentHealthOptions {
  catalog: PluginCatalog;
  config: Pick<AgentConfig, 'plugin_config' | 'health_interval'>;
  platform: Platform;
  logger: Logger;
  createRuntime: RuntimeFactory;
  settings?: AgentHealthSettings;
  /** Send `node:health`; false when there is no connection to send it on. */
  emit: (event: NodeHealthEvent) => boolean;
}

/** The agent's side of capability health: checks, and what the server was last told. */
export interface AgentHealth {
  readonly monitor: HealthMonitor;
  /** How long the first hello may wait for the first checks. */
  readonly helloWaitMs: number;
  /** The health a hello carries now; remembered as what the server knows. */
  forHello(): PluginHealth[];
  stop(): void;
}

/**
 * Check plugin health at start and every `health_interval`, and send `node:health` only when the
 * health differs from what the server was last told (in a hello or a previous `node:health`).
 */
export function createAgentHealth(options: AgentHealthOptions): AgentHealth {
  const settings = options.settings ?? {};
  const logger = options.logger.child({ component: 'health' });
  let told: PluginHealth[] | undefined;
  const monitor = createHealthMonitor({
    intervalMs: settings.intervalMs ?? options.config.health_interval * 1000,
    logger,
    round: (signal, onResult) =>
      computeHealth({
        catalog: options.catalog,
        pluginConfig: options.config.plugin_config,
        platform: options.platform,
        logger,
        createRuntime: options.createRuntime,
        timeoutMs: settings.timeoutMs ?? 10_000,
        concurrency: settings.concurrency ?? 4,
        signal,
        onResult,
      }),
    onChange(health) {
      if (told && sameHealth(told, health)) return;
      if (options.emit({ health })) {
        told = health;
        logger.debug({ plugins: health.length }, 'sent node:health');
      }
    },
  });
  return {
    monitor,
    helloWaitMs: settings.helloWaitMs ?? 3000,
    forHello() {
      told = monitor.current();
      return told;
    },
    stop: () => monitor.stop(),
  };
}
