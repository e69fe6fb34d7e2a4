import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';

/** The agent token the test server accepts. */
export const AGENT_TOKEN = 'agent-doctor-token-5f1c';
/** A valid token without the agent role (FORBIDDEN at the handshake). */
export const OPERATOR_TOKEN = 'operator-doctor-token-77aa';

export interface RealServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `ws://127.0.0.1:<port>/ws`, as node_config.yaml names it. */
  serverUrl: string;
  close(): Promise<void>;
}

/** The real OpenClaw server (REST + Socket.IO gateway) on 127.0.0.1, port 0. */
export async function startRealServer(): Promise<RealServer> {
  const server: OpenClawServer = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [
      { name: 'agents', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'ops', token: OPERATOR_TOKEN, roles: ['operator'] },
    ],
    logger: pino({ level: 'silent' }),
    // The job history stays in memory: a test never writes the tester's data folder.
    store: 'memory',
  });
  const { url, port } = await server.listen();
  return { url, serverUrl: `ws://127.0.0.1:${port}/ws`, close: () => server.close() };
}

/** A port nothing listens on: bind one, then close it. */
export async function closedPort(): Promise<number> {
  const { createServer: createNetServer } = await import('node:net');
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
