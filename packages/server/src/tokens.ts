import { readFile } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/core';
import { parse as parseYaml } from 'yaml';
import { ROLES, type Role } from './auth/auth-provider.js';
import type { TokenEntry } from './auth/token-auth-provider.js';

/** How to configure tokens; shown whenever none are found. */
export const TOKEN_HELP =
  'Set OPENCLAW_NODE_TOKEN=<token>, OPENCLAW_TOKENS=<token1>,<token2>, or OPENCLAW_TOKENS_FILE=<file.yaml> ' +
  '(a YAML file with a `tokens:` list of strings or {token, name, roles} entries). ' +
  'Generate a token with: openssl rand -base64 32';

/**
 * Collect the accepted tokens from OPENCLAW_NODE_TOKEN (name `env`), OPENCLAW_TOKENS (comma-separated,
 * names `env-1`…) and OPENCLAW_TOKENS_FILE (YAML). A token listed twice is kept once (first name wins).
 * @example const tokens = await loadTokensFromEnv(); createServer({ tokens });
 */
export async function loadTokensFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<TokenEntry[]> {
  const entries: TokenEntry[] = [];
  const single = env.OPENCLAW_NODE_TOKEN?.trim();
  if (single) entries.push({ name: 'env', token: single });
  const list = (env.OPENCLAW_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  list.forEach((token, i) => entries.push({ name: `env-${i + 1}`, token }));
  const file = env.OPENCLAW_TOKENS_FILE?.trim();
  if (file) entries.push(...(await loadTokensFile(file)));
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.token) ? false : (seen.add(e.token), true)));
}

/** Read a YAML tokens file; throws CONFIG_INVALID naming the file and the field at fault. */
export async function loadTokensFile(file: string): Promise<TokenEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new OpenClawError('CONFIG_INVALID', `Cannot read OPENCLAW_TOKENS_FILE ${file} (${reason})`, {
      details: { file, field: 'OPENCLAW_TOKENS_FILE' },
      cause,
    });
  }
  return parseTokensFile(text, file);
}

/** Parse the text of a tokens file (see loadTokensFile). */
export function parseTokensFile(text: string, file: string): TokenEntry[] {
  const fail = (field: string, message: string): never => {
    throw new OpenClawError('CONFIG_INVALID', `${file}: ${field} ${message}`, { details: { file, field } });
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0] : 'unparseable';
    throw new OpenClawError('CONFIG_INVALID', `${file}: not valid YAML: ${message}`, {
      details: { file, field: 'tokens' },
      cause,
    });
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { tokens?: unknown }).tokens)) {
    return fail('tokens', 'must be a list of tokens (strings or {token, name, roles} entries)');
  }
  const items = (doc as { tokens: unknown[] }).tokens;
  return items.map((item, i): TokenEntry => {
    const field = `tokens[${i}]`;
    if (typeof item === 'string') {
      if (item.trim() === '') fail(field, 'must not be empty');
      return { name: `file-${i + 1}`, token: item.trim() };
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return fail(field, 'must be a string or an object with a token field');
    }
    const { token, name, roles, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) fail(`${field}.${unknown}`, 'is not a known field (token, name, roles)');
    if (typeof token !== 'string' || token.trim() === '')
      fail(`${field}.token`, 'must be a non-empty string');
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
      fail(`${field}.name`, 'must be a non-empty string');
    }
    const entry: TokenEntry = {
      name: (name as string | undefined)?.trim() ?? `file-${i + 1}`,
      token: (token as string).trim(),
    };
    if (roles !== undefined) entry.roles = parseRoles(roles, `${field}.roles`, fail);
    return entry;
  });
}

function parseRoles(value: unknown, field: string, fail: (field: string, message: string) => never): Role[] {
  if (!Array.isArray(value) || value.length === 0)
    return fail(field, `must be a non-empty list of ${ROLES.join(', ')}`);
  return value.map((role, i) =>
    (ROLES as readonly unknown[]).includes(role)
      ? (role as Role)
      : fail(`${field}[${i}]`, `must be one of ${ROLES.join(', ')}`),
  );
}
