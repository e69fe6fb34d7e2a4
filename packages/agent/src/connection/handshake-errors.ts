import { FATAL_HANDSHAKE_CODES } from '@openclaw-node/core';

// A malformed nodeId is refused at handshake with INVALID_BODY: retrying cannot fix the config either.
const FATAL = new Set<string>([...FATAL_HANDSHAKE_CODES, 'INVALID_BODY']);
// Refusals of `hello` the agent cannot fix by reconnecting.
const FATAL_HELLO = new Set<string>([
  ...FATAL,
  'MANIFEST_INVALID',
  'SCHEMA_LIMIT_EXCEEDED',
  'PROTOCOL_UNSUPPORTED',
]);

/** True when a `connect_error` code means "stop retrying". */
export function isFatalHandshakeCode(code: string | undefined): code is string {
  return code !== undefined && FATAL.has(code);
}

/** True when a refused `hello` should stop the agent rather than be retried. */
export function isFatalHelloCode(code: string): boolean {
  return FATAL_HELLO.has(code);
}

/** Why the agent gave up, in words that tell the user what to fix. */
export function describeRefusal(code: string, serverMessage: string | undefined, nodeId: string): string {
  const said = serverMessage ? ` (server said: ${serverMessage})` : '';
  switch (code) {
    case 'AUTH_REQUIRED':
      return `the server requires a token: set auth_token in node_config.yaml${said}`;
    case 'AUTH_INVALID':
      return `the server rejected the token: check auth_token in node_config.yaml${said}`;
    case 'FORBIDDEN':
      return `the server does not allow this token to connect as node "${nodeId}": check node_id, or the token's node list on the server${said}`;
    case 'PROTOCOL_UNSUPPORTED':
      return `the server speaks another protocol version: upgrade the agent or the server to matching versions${said}`;
    case 'INVALID_BODY':
      return `the server refused the handshake as malformed: check node_id in node_config.yaml${said}`;
    case 'MANIFEST_INVALID':
      return `the server refused a plugin manifest: fix or remove that plugin${said}`;
    case 'SCHEMA_LIMIT_EXCEEDED':
      return `the server refused a plugin whose schemas cost too much to check: simplify or remove that plugin${said}`;
    case 'NODE_REPLACED':
      return `another agent connected as node "${nodeId}", so this one stops and does not reconnect: give each workstation its own node_id${said}`;
    default:
      return `the server refused the connection with ${code}${said}`;
  }
}
