import { randomBytes } from 'node:crypto';
import { OpenClawError } from '@openclaw-node/core';
import type { Role } from './auth-provider.js';
import { sha256Hex } from './token-auth-provider.js';
import { parseTokenEntry, type FieldFailure, type TokenEntry } from './token-entry.js';

/** A new random token: 32 bytes from the system CSPRNG, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface NewTokenRequest {
  name: string;
  roles: Role[] | string[];
  nodes?: string[];
  actions?: string[];
}

/** A freshly made token, the tokens-file entry that accepts it (by hash), and that entry as YAML. */
export interface NewToken {
  token: string;
  entry: TokenEntry & { sha256: string; roles: Role[] };
  yaml: string;
}

const quote = (value: string): string => JSON.stringify(value);

/** One tokens-file list item, indented for pasting under `tokens:`. */
export function tokenEntryYaml(entry: TokenEntry): string {
  const lines = [`  - name: ${quote(entry.name)}`];
  if (entry.sha256 !== undefined) lines.push(`    sha256: ${quote(entry.sha256)}`);
  if (entry.roles) lines.push(`    roles: [${entry.roles.join(', ')}]`);
  if (entry.nodes) lines.push(`    nodes: [${entry.nodes.map(quote).join(', ')}]`);
  if (entry.actions) lines.push(`    actions: [${entry.actions.map(quote).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/**
 * Make a token and its scoped entry; the entry holds only the SHA-256, so the token is shown once.
 * Throws CONFIG_INVALID naming the field (name, roles, nodes, actions) when the request is invalid.
 * @example const { token, yaml } = createToken({ name: 'ci', roles: ['operator'], nodes: ['ws-*'] });
 */
export function createToken(request: NewTokenRequest): NewToken {
  const token = generateToken();
  const fail: FieldFailure = (field, message) => {
    const short = field.replace(/^token\./, '');
    throw new OpenClawError('CONFIG_INVALID', `${short} ${message}`, { details: { field: short } });
  };
  const raw: Record<string, unknown> = { name: request.name, sha256: sha256Hex(token), roles: request.roles };
  if (request.nodes !== undefined) raw.nodes = request.nodes;
  if (request.actions !== undefined) raw.actions = request.actions;
  const entry = parseTokenEntry(raw, 'token', request.name, fail) as NewToken['entry'];
  return { token, entry, yaml: tokenEntryYaml(entry) };
}
