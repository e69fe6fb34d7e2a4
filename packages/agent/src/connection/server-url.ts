import { DEFAULT_SOCKET_PATH, OpenClawError } from '@openclaw-node/core';

/** Where a Socket.IO client connects: the HTTP(S) origin and the engine path. */
export interface SocketEndpoint {
  /** `https://host:8765` */
  origin: string;
  /** `/ws` */
  path: string;
}

const SCHEMES: Record<string, string> = {
  'ws:': 'http:',
  'wss:': 'https:',
  'http:': 'http:',
  'https:': 'https:',
};
const EXAMPLE = 'ws://pipeline-server:8765/ws';

/**
 * Split `server_url` into origin and Socket.IO path: `wss://host:8765/ws` → `https://host:8765` + `/ws`;
 * no path (or `/`) gives DEFAULT_SOCKET_PATH. Throws CONFIG_INVALID naming `server_url`.
 */
export function parseServerUrl(serverUrl: string, source = 'node_config.yaml'): SocketEndpoint {
  const fail = (problem: string): never => {
    throw new OpenClawError('CONFIG_INVALID', `${source}: server_url ${problem}`, {
      details: { field: 'server_url', file: source },
    });
  };
  let url: URL | undefined;
  try {
    url = new URL(serverUrl);
  } catch {
    // handled below
  }
  const scheme = url ? SCHEMES[url.protocol] : undefined;
  if (!url || !scheme || url.hostname === '') {
    return fail(`must be a ws://, wss://, http:// or https:// URL, e.g. ${EXAMPLE}`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail(`must not contain a user name or password: put the token in auth_token, e.g. ${EXAMPLE}`);
  }
  if (url.search !== '' || url.hash !== '') {
    return fail(`must not have a query or fragment, e.g. ${EXAMPLE}`);
  }
  const trimmed = url.pathname.replace(/\/+$/, '');
  return { origin: `${scheme}//${url.host}`, path: trimmed === '' ? DEFAULT_SOCKET_PATH : trimmed };
}
