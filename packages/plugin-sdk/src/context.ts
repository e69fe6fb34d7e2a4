import type { Platform } from '@openclaw-node/core';

export interface ActionLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the agent's environment. */
  env?: Record<string, string>;
  /** Killed (with its process tree) after this many ms; the action's own timeout applies anyway. */
  timeoutMs?: number;
  /** Text written to stdin. */
  input?: string;
  /** Cap on captured stdout and stderr each; the tail is kept. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Called for every line of stdout / stderr as it arrives (progress parsing). */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Windows only: pass arguments verbatim (explorer.exe `/select,"…"`). */
  windowsVerbatimArguments?: boolean;
}

export interface RunResult {
  command: string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when output went past `maxOutputBytes` and only the tail was kept. */
  truncated: boolean;
  durationMs: number;
}

export interface LaunchOptions {
  cwd?: string;
  env?: Record<string, string>;
  windowsVerbatimArguments?: boolean;
}

export interface LaunchResult {
  command: string[];
  pid: number | undefined;
}

/** Where to look for an application, in this order: config, env vars, install locations, PATH. */
export interface WhichSpec {
  /** Executable names to look for on PATH, e.g. `['rv', 'rv.exe']`. */
  names: string[];
  /** An explicit path from config (`plugin_config.<plugin>.path`). */
  configPath?: string | undefined;
  /** Environment variables that may hold a path. */
  envVars?: string[];
  /**
   * Absolute candidate paths for this platform. A segment may contain `*` to scan versioned
   * folders; matches are tried newest version first (`Nuke15.1v3` before `Nuke14.0v6`).
   */
  locations?: string[];
}

export interface WhichResult {
  /** The executable found, or null. */
  path: string | null;
  source: 'config' | 'env' | 'location' | 'path' | null;
  /** Every place looked, in order, for an APP_NOT_FOUND message. */
  searched: string[];
}

/** What a handler gets. It reaches the outside world only through this. */
export interface ActionContext<Config = Record<string, unknown>> {
  /** Aborted on cancel and on timeout. */
  signal: AbortSignal;
  /** Report progress, 0..1, with an optional message. */
  progress(fraction: number, message?: string): void;
  log: ActionLogger;
  platform: Platform;
  /** This plugin's `plugin_config` section. */
  config: Config;
  /** Run a program to completion: argument array, never a shell; killed on abort. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Start a GUI program detached and return at once. */
  launch(file: string, args: readonly string[], options?: LaunchOptions): Promise<LaunchResult>;
  /** Find an executable. */
  which(spec: WhichSpec): Promise<WhichResult>;
}
