import { OPENCLAW_VERSION } from '@openclaw-node/core';
import type { AgentConfig } from '../../config/agent-config.js';
import { check, type DoctorCheck } from '../doctor-report.js';
import { probeHandshake, type HandshakeProbe } from '../probe-handshake.js';
import { probeServerHealth, type HealthProbe } from '../probe-health.js';

/** `server` (GET /api/health with its latency) and `token` (the agent's real handshake). */
export async function checkServer(options: {
  config: AgentConfig;
  file: string | null;
  timeoutMs: number;
  /** Above this health latency, the server answers but slowly enough to mention. */
  slowMs: number;
}): Promise<DoctorCheck[]> {
  const { config } = options;
  const [health, handshake] = await Promise.all([
    probeServerHealth({ serverUrl: config.server_url, ca: config.ca, timeoutMs: options.timeoutMs }),
    probeHandshake({
      serverUrl: config.server_url,
      token: config.auth_token,
      nodeId: config.node_id,
      ca: config.ca,
      timeoutMs: options.timeoutMs,
    }),
  ]);
  return [
    serverCheck(health, handshake, config, options.file, options.slowMs),
    tokenCheck(handshake, health.ok, config, options.file),
  ];
}

function serverCheck(
  health: HealthProbe,
  handshake: HandshakeProbe,
  config: AgentConfig,
  file: string | null,
  slowMs: number,
): DoctorCheck {
  const title = 'Server reachable';
  const where = file ?? 'node_config.yaml';
  if (!health.ok && (health.code === 'TLS_UNTRUSTED' || health.code === 'CONFIG_INVALID')) {
    return check('server', title, 'fail', health.message, {
      fix: trustFix(health.code, config, where),
      data: { url: health.url, code: health.code },
    });
  }
  if (!health.ok) {
    // The agent only needs the Socket.IO endpoint; a proxy may route /ws and not /api.
    const socketWorks = handshake.ok || handshake.refused;
    const port = portOf(config.server_url);
    return check('server', title, socketWorks ? 'warn' : 'fail', health.message, {
      fix: socketWorks
        ? `The agent connection works, but scripts and \`openclaw health\` use ${health.url}: let the proxy in front of the server pass /api too.`
        : health.code === 'INVALID_RESPONSE'
          ? `Point server_url in ${where} at the OpenClaw server (its default port is 8765), e.g. server_url: ws://pipeline-server:8765/ws.`
          : `Check server_url in ${where} (host ${new URL(health.url).hostname}, port ${port}), that the server runs there (\`openclaw server start\`; \`openclaw health --server ${new URL(health.url).origin}\` from here), and that no firewall blocks port ${port} from this workstation.`,
      data: { url: health.url, code: health.code },
    });
  }
  const data = { url: health.url, latencyMs: health.latencyMs, serverVersion: health.version };
  const detail = `${health.url} answered in ${health.latencyMs} ms (OpenClaw Node ${health.version}, ${health.nodesConnected} node(s) connected)`;
  if (major(health.version) !== major(OPENCLAW_VERSION)) {
    return check('server', title, 'warn', `${detail}; this agent is ${OPENCLAW_VERSION}`, {
      fix: 'Install matching major versions of the agent and the server.',
      data,
    });
  }
  if (health.latencyMs > slowMs) {
    return check('server', title, 'warn', `${detail}: slow`, {
      fix: 'The network between this workstation and the server is slow; actions will start late. Check VPN, proxy or Wi-Fi.',
      data,
    });
  }
  return check('server', title, 'ok', detail, { data });
}

function tokenCheck(
  handshake: HandshakeProbe,
  healthy: boolean,
  config: AgentConfig,
  file: string | null,
): DoctorCheck {
  const title = 'Token accepted';
  const where = file ?? 'node_config.yaml';
  if (handshake.ok) {
    return check(
      'token',
      title,
      'ok',
      `the server accepted the token for node ${config.node_id} (handshake ${handshake.latencyMs} ms)`,
      { data: { latencyMs: handshake.latencyMs, endpoint: handshake.endpoint } },
    );
  }
  const fixes: Record<string, string> = {
    AUTH_REQUIRED: `Set auth_token in ${where}.`,
    AUTH_INVALID: `Set auth_token in ${where} to a token the server accepts (one of its OPENCLAW_NODE_TOKEN, OPENCLAW_TOKENS or OPENCLAW_TOKENS_FILE tokens), or rerun \`openclaw agent init\`.`,
    FORBIDDEN: `Use a token that has the agent role and may connect as node "${config.node_id}" (ask whoever runs the server), or change node_id in ${where}.`,
    PROTOCOL_UNSUPPORTED: 'Upgrade the agent or the server so that both speak the same protocol version.',
    INVALID_BODY: `Fix node_id in ${where}: letters, digits, ".", "_" or "-".`,
    SERVER_UNREACHABLE:
      'Fix the server connection first (see "Server reachable"); the token could not be checked.',
    REQUEST_TIMEOUT:
      'Fix the server connection first (see "Server reachable"); the token could not be checked.',
  };
  if (handshake.code === 'TLS_UNTRUSTED' || handshake.code === 'CONFIG_INVALID') {
    return check('token', title, 'fail', handshake.message, {
      fix: healthy
        ? trustFix(handshake.code, config, where)
        : 'Fix the server connection first (see "Server reachable"); the token could not be checked.',
      data: { code: handshake.code, endpoint: handshake.endpoint },
    });
  }
  // The REST side answers, so the server is up: the agent endpoint itself is what cannot be reached.
  const endpointFix = `The server answers at /api/health but not at the agent endpoint: check the path of server_url in ${where} (the server's default is /ws) and that any proxy in front of it forwards websocket upgrades for that path.`;
  return check('token', title, 'fail', handshake.message, {
    fix:
      (healthy && !handshake.refused ? endpointFix : undefined) ??
      fixes[handshake.code] ??
      `The server refused the connection with ${handshake.code}: check its log.`,
    data: { code: handshake.code, endpoint: handshake.endpoint },
  });
}

/** How to make this workstation trust the server's certificate, or use its `ca:` file at all. */
function trustFix(code: 'TLS_UNTRUSTED' | 'CONFIG_INVALID', config: AgentConfig, where: string): string {
  if (code === 'CONFIG_INVALID') {
    return `Point ca: in ${where} at a readable PEM file holding your studio CA certificate (-----BEGIN CERTIFICATE-----).`;
  }
  return config.ca
    ? `ca: ${config.ca} does not vouch for the server's certificate: set ca: in ${where} to the CA that signed it (the last certificate of the server's --tls-cert chain), or check that server_url uses a host name the certificate lists.`
    : `Set ca: in ${where} to the PEM file of the CA that signed the server's certificate (a studio CA is not in the system's list), or check that server_url uses a host name the certificate lists.`;
}

function major(version: string): string {
  return version.split('.')[0] ?? version;
}

function portOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.port !== '') return url.port;
  return url.protocol === 'wss:' || url.protocol === 'https:' ? '443' : '80';
}
