import path from 'node:path';
import { agentArgv } from './agent-argv.js';
import { SUPERVISOR_ENV } from './exit-codes.js';
import { renderPlist } from './plist.js';
import type { ServicePlan } from './service-plan.js';
import type { ResolvedServiceOptions } from './service-options.js';

// launchd starts agents with PATH=/usr/bin:/bin:/usr/sbin:/sbin; Homebrew and /usr/local tools would be missing.
const MACOS_PATH = ['/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
// `launchctl bootout` of a service that is not loaded: "Boot-out failed: 3: No such process" (113 on some releases).
const NOT_LOADED = [3, 113];
// `launchctl bootstrap` of a service that is already loaded: 5 (Input/output error), 17 or 37 on older releases.
const ALREADY_LOADED = [5, 17, 37];

/** Where the LaunchAgent's output goes by default. */
export function defaultMacLogDir(home: string): string {
  return path.posix.join(home, 'Library', 'Logs', 'openclaw-node');
}

/** The text of the LaunchAgent plist. */
export function renderLaunchAgentPlist(options: ResolvedServiceOptions): string {
  const logDir = options.logDir ?? defaultMacLogDir(options.home);
  const logFile = path.posix.join(logDir, 'agent.log');
  const searchPath = [...new Set([path.posix.dirname(options.nodeExecutable), ...MACOS_PATH])].join(':');
  return renderPlist({
    Label: options.label,
    ProgramArguments: agentArgv(options),
    WorkingDirectory: options.home,
    EnvironmentVariables: { PATH: searchPath, ...options.env, [SUPERVISOR_ENV]: 'launchd' },
    RunAtLoad: true,
    // Restart after a crash (non-zero exit or signal) but not after a clean exit: the agent turns
    // its "do not restart" exits into 0 under launchd (see supervisedExitCode).
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    // Aqua: only in a logged-in GUI session, where RV and Finder windows can appear.
    LimitLoadToSessionType: 'Aqua',
    // Keep the applications the agent opened when the agent itself exits.
    AbandonProcessGroup: true,
    StandardOutPath: logFile,
    StandardErrorPath: logFile,
  });
}

/** The macOS plan: a LaunchAgent in ~/Library/LaunchAgents, loaded into the `gui/<uid>` domain. */
export function planLaunchAgent(options: ResolvedServiceOptions): ServicePlan {
  const definitionPath = path.posix.join(options.home, 'Library', 'LaunchAgents', `${options.label}.plist`);
  const logDir = options.logDir ?? defaultMacLogDir(options.home);
  const domain = `gui/${options.uid}`;
  const target = `${domain}/${options.label}`;
  const bootout = ['launchctl', 'bootout', target];
  const bootstrap = ['launchctl', 'bootstrap', domain, definitionPath];
  const logs = path.posix.join(logDir, 'agent.log');
  return {
    platform: 'darwin',
    label: options.label,
    definitionPath,
    logs,
    agentArgv: agentArgv(options),
    files: [{ path: definitionPath, contents: renderLaunchAgentPlist(options), mode: 0o644 }],
    directories: [{ path: logDir, mode: 0o755 }],
    commands: {
      // bootout first: bootstrap refuses a label that is already loaded, and a reinstall must load the new plist.
      install: [bootout, ['launchctl', 'enable', target], bootstrap],
      uninstall: [bootout],
      cleanup: [],
      start: [bootstrap, ['launchctl', 'kickstart', target]],
      // bootout, not kill: with KeepAlive launchd would restart a killed agent at once.
      stop: [bootout],
      restart: [['launchctl', 'kickstart', '-k', target]],
      status: [['launchctl', 'print', target]],
    },
    tolerate: [
      {
        actions: ['install', 'uninstall', 'stop'],
        argv: bootout,
        exitCodes: NOT_LOADED,
        reason: 'it was not loaded',
      },
      { actions: ['start'], argv: bootstrap, exitCodes: ALREADY_LOADED, reason: 'it is already loaded' },
    ],
    notes: [
      'The agent runs in your login session (LaunchAgent, Aqua) and starts at every login.',
      `Logs: ${logs}`,
      'A "stop" lasts until the next login or "openclaw agent service-start".',
      'Stopping the agent does not close the applications it opened (AbandonProcessGroup).',
    ],
  };
}
