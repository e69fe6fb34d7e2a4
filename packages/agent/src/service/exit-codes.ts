/**
 * Exit codes of the agent process as the service definitions understand them. A service manager
 * restarts the agent after a crash, but not after a "permanent" exit: restarting would only fail
 * again (bad config, rejected token) or fight the agent that replaced this one.
 */
export const SERVICE_EXIT_CODES = {
  /** Stopped on request (SIGTERM, Ctrl-C). */
  OK: 0,
  /** Anything unexpected: the service manager restarts the agent. */
  FAILURE: 1,
  /** node_config.yaml is missing or invalid, a configured plugin cannot load, or bad command-line arguments. */
  CONFIG_INVALID: 2,
  /** The server rejected the token (AUTH_INVALID / FORBIDDEN at the handshake). */
  AUTH_REJECTED: 3,
  /** Another agent connected with the same node id and the server dropped this one (NODE_REPLACED). */
  NODE_REPLACED: 4,
} as const;

export type ServiceExitCode = (typeof SERVICE_EXIT_CODES)[keyof typeof SERVICE_EXIT_CODES];

/** Exit codes after which no service manager may restart the agent. */
export const NO_RESTART_EXIT_CODES: readonly number[] = [
  SERVICE_EXIT_CODES.CONFIG_INVALID,
  SERVICE_EXIT_CODES.AUTH_REJECTED,
  SERVICE_EXIT_CODES.NODE_REPLACED,
];

/** The environment variable each service definition sets so the agent knows who supervises it. */
export const SUPERVISOR_ENV = 'OPENCLAW_AGENT_SUPERVISOR';

/** Which service manager runs the agent, as written into SUPERVISOR_ENV. */
export type Supervisor = 'systemd' | 'launchd' | 'task-scheduler';

const MEANINGS: Record<number, string> = {
  [SERVICE_EXIT_CODES.OK]: 'stopped normally',
  [SERVICE_EXIT_CODES.FAILURE]: 'failed unexpectedly',
  [SERVICE_EXIT_CODES.CONFIG_INVALID]: 'configuration invalid: fix node_config.yaml, then start the service',
  [SERVICE_EXIT_CODES.AUTH_REJECTED]:
    'the server rejected the token: fix auth_token in node_config.yaml, then start the service',
  [SERVICE_EXIT_CODES.NODE_REPLACED]:
    'another agent connected with the same node_id: give each workstation its own node_id',
};

/** A human sentence for an agent exit code, for status output. */
export function describeAgentExitCode(code: number): string {
  return MEANINGS[code] ?? `exited with code ${code}`;
}

/**
 * The code the agent should really exit with. launchd cannot be told "do not restart after exit 3"
 * (KeepAlive only knows SuccessfulExit), so under launchd a permanent exit becomes 0, which
 * `KeepAlive: { SuccessfulExit: false }` leaves stopped; the reason is in the log.
 * @example process.exitCode = supervisedExitCode(SERVICE_EXIT_CODES.AUTH_REJECTED, process.env)
 */
export function supervisedExitCode(code: number, env: NodeJS.ProcessEnv = process.env): number {
  if (env[SUPERVISOR_ENV] === 'launchd' && NO_RESTART_EXIT_CODES.includes(code)) return 0;
  return code;
}
