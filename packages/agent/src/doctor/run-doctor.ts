import { toPlatform, type Platform } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import type { RuntimeFactory } from '../executor/action-context.js';
import { defaultLogFile } from '../logging/log-paths.js';
import { createServiceCommandRunner } from '../service/command-runner.js';
import { planLocalService } from '../service/local-service.js';
import { serviceStatus, type ServiceStatus } from '../service/service-status.js';
import { checkConfig } from './checks/config-check.js';
import { checkLogFile } from './checks/log-check.js';
import { checkAllowedPaths } from './checks/path-checks.js';
import { checkPlugins } from './checks/plugin-checks.js';
import { checkServer } from './checks/server-checks.js';
import { checkService } from './checks/service-check.js';
import { checkDesktopSession } from './checks/session-check.js';
import type { DoctorCheck, DoctorReport } from './doctor-report.js';

export interface DoctorOptions {
  /** node_config.yaml to check; else the agent's search (working directory, per-OS default). */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Defaults to this machine's. */
  platform?: Platform;
  /** Plugins by name; defaults to the built-ins. */
  registry?: Record<string, PluginDefinition>;
  /** Deadline of the health request and of the handshake. Default 5 s. */
  timeoutMs?: number;
  /** A health answer slower than this is a warning. Default 1000 ms. */
  slowServerMs?: number;
  /** Deadline of each plugin's ping. Default 20 s. */
  pingTimeoutMs?: number;
  createRuntime?: RuntimeFactory;
  /** How to learn the service's status; false leaves the check out. Default: ask the service manager. */
  serviceStatus?: false | (() => Promise<ServiceStatus>);
  /** The agent's log file. Default: the per-OS one. */
  logFile?: string;
}

const NODE_PLATFORM: Record<Platform, NodeJS.Platform> = {
  linux: 'linux',
  darwin: 'darwin',
  windows: 'win32',
};

/**
 * Check everything the agent needs on this workstation — config, server, token, each plugin's
 * application, allowed paths, desktop session, service, log file — and report each with a fix.
 * Never throws for a problem it finds; `report.ok` is false when any check failed.
 * @example const report = await runDoctor({ configPath: 'node_config.yaml' }); process.exitCode = report.ok ? 0 : 1;
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const platform = options.platform ?? toPlatform(process.platform) ?? 'linux';
  const nodePlatform = NODE_PLATFORM[platform];
  const timeoutMs = options.timeoutMs ?? 5000;
  const loaded = await checkConfig({ configPath: options.configPath, env, cwd, nodePlatform });
  const checks: DoctorCheck[] = [...loaded.checks];
  const { config, filepath } = loaded;

  const statusOf =
    options.serviceStatus === undefined
      ? () => defaultServiceStatus(options.configPath, env, cwd)
      : options.serviceStatus;
  const [configured, service, logFile] = await Promise.all([
    config
      ? Promise.all([
          checkServer({ config, file: filepath, timeoutMs, slowMs: options.slowServerMs ?? 1000 }),
          checkPlugins({
            config,
            file: filepath,
            platform,
            env,
            registry: options.registry,
            timeoutMs: options.pingTimeoutMs ?? 20_000,
            createRuntime: options.createRuntime,
          }),
          checkAllowedPaths({ config, file: filepath, platform }),
        ]).then((groups) => groups.flat())
      : Promise.resolve([]),
    statusOf === false ? Promise.resolve(null) : checkService(statusOf),
    checkLogFile(options.logFile ?? defaultLogFile(nodePlatform, env)),
  ]);
  checks.push(...configured);
  const session = checkDesktopSession({ platform, env, plugins: config?.plugins ?? [] });
  if (session) checks.push(session);
  if (service) checks.push(service);
  checks.push(logFile);
  return { ok: checks.every((c) => c.status !== 'fail'), config: filepath, checks };
}

async function defaultServiceStatus(
  configPath: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ServiceStatus> {
  const { plan } = await planLocalService({ env, cwd, ...(configPath !== undefined ? { configPath } : {}) });
  return serviceStatus(plan, { run: createServiceCommandRunner(env) });
}
