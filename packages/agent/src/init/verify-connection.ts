import { OpenClawError } from '@openclaw-node/core';
import { probeHandshake, type HandshakeProbe } from '../doctor/probe-handshake.js';
import { probeServerHealth, type HealthProbe } from '../doctor/probe-health.js';

/** What the connection test found: the health route and the agent handshake with this token. */
export interface ConnectionCheck {
  /** True when the server accepted the token at the handshake: the agent will connect. */
  ok: boolean;
  health: HealthProbe;
  handshake: HandshakeProbe;
}

/** Ask /api/health and open the agent's handshake (never `hello`), both at once. */
export async function verifyConnection(options: {
  serverUrl: string;
  token: string;
  nodeId: string;
  /** The `ca:` file of the config: trusted besides the system's CAs, as the agent will. */
  ca?: string | undefined;
  timeoutMs?: number;
}): Promise<ConnectionCheck> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const [health, handshake] = await Promise.all([
    probeServerHealth({ serverUrl: options.serverUrl, ca: options.ca, timeoutMs }),
    probeHandshake({ ...options, timeoutMs }),
  ]);
  return { ok: handshake.ok, health, handshake };
}

/** One line about a passed test: `server 0.1.0 answered in 3 ms; token accepted for ws-042`. */
export function describeConnection(check: ConnectionCheck, nodeId: string): string {
  const server = check.health.ok
    ? `server ${check.health.version} answered in ${check.health.latencyMs} ms`
    : `the health route did not answer (${check.health.message})`;
  return `${server}; token accepted for node ${nodeId}`;
}

/** Why a failed test failed, in one sentence: the server's refusal, or what did not answer. */
export function connectionProblem(check: ConnectionCheck): string {
  const handshake = check.handshake;
  if (handshake.ok) return 'the connection test passed';
  // When nothing answered at all, the health route's reason (ECONNREFUSED, a DNS failure) says more.
  return !handshake.refused && !check.health.ok && check.health.code !== 'INVALID_RESPONSE'
    ? check.health.message
    : handshake.message;
}

/** The error for a failed test: the handshake's code (AUTH_INVALID, SERVER_UNREACHABLE…) and why. */
export function connectionError(check: ConnectionCheck): OpenClawError {
  const handshake = check.handshake;
  const code = handshake.ok ? 'INTERNAL_ERROR' : handshake.code;
  const refused = !handshake.ok && handshake.refused;
  return new OpenClawError(
    code,
    `the connection test failed: ${connectionProblem(check)}. Nothing was written (--no-verify skips this test)`,
    {
      details: {
        field:
          code === 'INVALID_BODY'
            ? 'node_id'
            : code === 'CONFIG_INVALID'
              ? 'ca'
              : refused
                ? 'auth_token'
                : 'server_url',
        endpoint: handshake.endpoint,
      },
    },
  );
}
