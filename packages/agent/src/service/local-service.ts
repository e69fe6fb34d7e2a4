import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OpenClawError, toPlatform } from '@openclaw-node/core';
import { defaultConfigPath } from '../config/default-path.js';
import { findAgentEntry } from './agent-entry.js';
import { planServiceInstall } from './plan-service-install.js';
import type { ServicePlan, ServicePlatform } from './service-plan.js';
import { isAbsoluteFor } from './service-options.js';
import { sessionEnvironmentWarnings } from './session-environment.js';

/** What `openclaw agent install|uninstall|status|service-start|service-stop` know from their flags. */
export interface LocalServiceOptions {
  /** Defaults to this machine's; another one only plans (dry runs, tests). */
  platform?: string;
  /** node_config.yaml; relative to `cwd`. Defaults to the per-user location. */
  configPath?: string;
  label?: string;
  sessionTarget?: string;
  logDir?: string;
  /** Extra environment for the agent (`--env NAME=value`); never secrets. */
  serviceEnv?: Record<string, string>;
  /** The environment this command runs in (HOME, USERPROFILE, DISPLAY…). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Defaults to this installation's agent bin (dist/bin.js). */
  agentEntry?: string;
  /** Defaults to the running Node.js (process.execPath). */
  nodeExecutable?: string;
}

/** A plan for this machine, with what the user should know before it runs. */
export interface LocalServicePlan {
  plan: ServicePlan;
  configPath: string;
  /** True when the platform is this machine's, so the plan can be applied here. */
  native: boolean;
  warnings: string[];
}

// Typical locations of a global npm install, for plans made on another OS.
const FOREIGN_INSTALL: Record<ServicePlatform, { nodeExecutable: string; agentEntry: string }> = {
  linux: {
    nodeExecutable: '/usr/bin/node',
    agentEntry: '/usr/lib/node_modules/@openclaw-node/agent/dist/bin.js',
  },
  darwin: {
    nodeExecutable: '/opt/homebrew/bin/node',
    agentEntry: '/opt/homebrew/lib/node_modules/@openclaw-node/agent/dist/bin.js',
  },
  windows: {
    nodeExecutable: 'C:\\Program Files\\nodejs\\node.exe',
    agentEntry: 'C:\\Program Files\\nodejs\\node_modules\\@openclaw-node\\agent\\dist\\bin.js',
  },
};

function foreignHome(platform: ServicePlatform): string {
  const user = os.userInfo().username;
  if (platform === 'windows') return `C:\\Users\\${user}`;
  return platform === 'darwin' ? `/Users/${user}` : `/home/${user}`;
}

function invalid(field: string, message: string): OpenClawError {
  return new OpenClawError('SERVICE_OPTIONS_INVALID', `${field}: ${message}`, { details: { field } });
}

function platformOf(value: string | undefined): ServicePlatform {
  const host = toPlatform(process.platform);
  if (value === undefined) {
    if (!host)
      throw invalid('platform', `${process.platform} is not supported: use linux, darwin or windows`);
    return host;
  }
  if (value === 'linux' || value === 'darwin' || value === 'windows') return value;
  throw invalid('platform', `${JSON.stringify(value)} is not linux, darwin or windows`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plan the agent service for the current user of this machine: node, the agent bin, the config
 * and the home folder come from this process unless given.
 * @example const { plan, warnings } = await planLocalService({ configPath: 'node_config.yaml' })
 */
export async function planLocalService(options: LocalServiceOptions = {}): Promise<LocalServicePlan> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const platform = platformOf(options.platform);
  const native = platform === toPlatform(process.platform);
  const nodePlatform = platform === 'windows' ? 'win32' : platform;
  const home =
    (platform === 'windows' ? env.USERPROFILE : env.HOME) || (native ? os.homedir() : foreignHome(platform));
  const homeEnv = platform === 'windows' ? { USERPROFILE: home } : { HOME: home };
  const given = options.configPath;
  const configPath =
    given === undefined
      ? defaultConfigPath(nodePlatform, { ...env, ...homeEnv })
      : isAbsoluteFor(platform, given)
        ? given
        : path.resolve(cwd, given);
  const user = env.USERDOMAIN && env.USERNAME ? `${env.USERDOMAIN}\\${env.USERNAME}` : os.userInfo().username;
  if (
    options.sessionTarget !== undefined &&
    options.sessionTarget !== 'graphical-session' &&
    options.sessionTarget !== 'default'
  ) {
    throw invalid(
      'sessionTarget',
      `${JSON.stringify(options.sessionTarget)} is not graphical-session or default`,
    );
  }
  // Planning for another OS (a dry run): this machine's node and agent paths mean nothing there.
  const foreign = native ? undefined : FOREIGN_INSTALL[platform];
  const agentEntry = options.agentEntry ?? foreign?.agentEntry ?? (await findAgentEntry());
  const plan = planServiceInstall({
    platform,
    nodeExecutable: options.nodeExecutable ?? foreign?.nodeExecutable ?? process.execPath,
    agentEntry,
    configPath,
    home,
    user,
    ...(process.getuid ? { uid: process.getuid() } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.logDir !== undefined
      ? {
          logDir: isAbsoluteFor(platform, options.logDir)
            ? options.logDir
            : path.resolve(cwd, options.logDir),
        }
      : {}),
    ...(options.serviceEnv !== undefined ? { env: options.serviceEnv } : {}),
    ...(options.sessionTarget !== undefined ? { sessionTarget: options.sessionTarget } : {}),
  });
  const warnings = native
    ? sessionEnvironmentWarnings(platform, env)
    : [
        `Planned for ${platform} on a ${process.platform} machine: node and agent paths are typical ${platform} locations.`,
      ];
  if (native && !(await exists(agentEntry))) {
    warnings.push(
      `The agent bin ${agentEntry} does not exist yet: build it (npm run build) before the service starts.`,
    );
  }
  return { plan, configPath, native, warnings };
}
