/** The operating systems the agent service can be installed on, named as on the wire. */
export type ServicePlatform = 'linux' | 'darwin' | 'windows';

/** What the artist's service manager is asked to do. */
export type ServiceAction = 'install' | 'uninstall' | 'start' | 'stop' | 'restart' | 'status';

/** Which systemd user target starts the agent on Linux. */
export type SessionTarget = 'graphical-session' | 'default';

/** Input of planServiceInstall. Paths are absolute on the target platform. */
export interface PlanServiceOptions {
  platform: ServicePlatform;
  /** The Node.js binary the service runs (usually process.execPath). */
  nodeExecutable: string;
  /** Absolute path of the agent bin js (packages/agent/dist/bin.js). */
  agentEntry: string;
  /** Absolute path of node_config.yaml, passed as `--config`. */
  configPath: string;
  /** Windows: the account (`DOMAIN\user` or `user`) the logon task runs for. Defaults to the current user. */
  user?: string;
  /** macOS: the numeric uid of the `gui/<uid>` launchd domain. Defaults to the current uid. */
  uid?: number;
  /** Extra environment for the agent (PATH, OPENCLAW_LOG_LEVEL…). Never secrets: the files are readable. */
  env?: Record<string, string>;
  /** Where the agent's output goes; defaults per OS (journald on Linux). */
  logDir?: string;
  /** The user's home folder. Defaults to the current user's. */
  home?: string;
  /** Unit name (Linux), launchd Label (macOS) or task name (Windows). */
  label?: string;
  /** Linux: `graphical-session` (default) or `default` for desktops without graphical-session.target. */
  sessionTarget?: SessionTarget;
}

/** One file the install writes. */
export interface ServiceFile {
  path: string;
  contents: string;
  /** POSIX permission bits (ignored on Windows). */
  mode: number;
  /** `utf16le` is written with a byte-order mark (Task Scheduler XML). Defaults to utf8. */
  encoding?: 'utf8' | 'utf16le';
}

/** A folder the install creates (log folder), kept on uninstall. */
export interface ServiceDirectory {
  path: string;
  mode: number;
}

/** A command whose failure is expected in some states (unloading what is not loaded). */
export interface ToleratedFailure {
  /** The actions in which the failure is expected. */
  actions: ServiceAction[];
  argv: string[];
  /** Exit codes that are not an error, or `any`. */
  exitCodes: number[] | 'any';
  /** Why the failure is harmless, shown by describeServicePlan. */
  reason: string;
}

/**
 * Everything an install needs, as data: files to write and argv arrays to run per action.
 * Uninstall runs `uninstall`, removes the files, then runs `cleanup`.
 */
export interface ServicePlan {
  platform: ServicePlatform;
  label: string;
  /** The service definition file (unit, plist or task XML). */
  definitionPath: string;
  /** Where to read the agent's output, for humans. */
  logs: string;
  /** The exact argv the service starts. */
  agentArgv: string[];
  files: ServiceFile[];
  directories: ServiceDirectory[];
  commands: {
    install: string[][];
    uninstall: string[][];
    cleanup: string[][];
    start: string[][];
    stop: string[][];
    restart: string[][];
    status: string[][];
  };
  tolerate: ToleratedFailure[];
  notes: string[];
}

/** What running one command produced. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one argv array (never a shell); exitCode 127 when the program does not exist. */
export type CommandRunner = (argv: string[]) => Promise<CommandResult>;

/** The tolerance entry that matches a command, if any. */
export function toleranceFor(
  plan: ServicePlan,
  action: ServiceAction,
  argv: readonly string[],
): ToleratedFailure | undefined {
  return plan.tolerate.find(
    (entry) =>
      entry.actions.includes(action) &&
      entry.argv.length === argv.length &&
      entry.argv.every((part, i) => part === argv[i]),
  );
}
