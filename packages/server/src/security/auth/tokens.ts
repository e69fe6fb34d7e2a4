import { OpenClawError } from '@openclaw-node/core';
import { loadTokensFile } from './token-file.js';
import { mergeTokenEntries } from './token-auth-provider.js';
import { checkTokenValue, type FieldFailure, type TokenEntry } from './token-entry.js';

export { loadTokensFile, parseTokensFile } from './token-file.js';
export { mergeTokenEntries } from './token-auth-provider.js';

/** How to configure tokens; shown whenever none are found. */
export const TOKEN_HELP =
  'Set OPENCLAW_TOKENS_FILE=<file.yaml> (a `tokens:` list of scoped entries: make one with ' +
  '`openclaw token create --name <name> --role <role>`), or OPENCLAW_NODE_TOKEN=<token> / ' +
  'OPENCLAW_TOKENS=<token1>,<token2> (full access, at least 16 characters), or configure JWT bearer ' +
  'auth (OPENCLAW_JWT_ISSUER, OPENCLAW_JWT_AUDIENCE, OPENCLAW_JWT_JWKS_URL).';

/**
 * The full-access tokens of OPENCLAW_NODE_TOKEN (name `env`) and OPENCLAW_TOKENS (comma-separated,
 * names `env-1`…). Each must have at least 16 characters; throws CONFIG_INVALID naming the variable.
 */
export function loadEnvTokens(env: NodeJS.ProcessEnv = process.env): TokenEntry[] {
  const fail: FieldFailure = (field, message) => {
    throw new OpenClawError('CONFIG_INVALID', `${field} ${message}`, { details: { field } });
  };
  const entries: TokenEntry[] = [];
  const single = env.OPENCLAW_NODE_TOKEN?.trim();
  if (single) entries.push({ name: 'env', token: checkTokenValue(single, 'OPENCLAW_NODE_TOKEN', fail) });
  (env.OPENCLAW_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .forEach((token, i) =>
      entries.push({ name: `env-${i + 1}`, token: checkTokenValue(token, `OPENCLAW_TOKENS[${i}]`, fail) }),
    );
  return entries;
}

/**
 * Collect the accepted tokens from OPENCLAW_NODE_TOKEN, OPENCLAW_TOKENS and OPENCLAW_TOKENS_FILE
 * (read once: pass `tokensFile` to createServer instead to have it reloaded on change).
 * @example const tokens = await loadTokensFromEnv(); createServer({ tokens });
 */
export async function loadTokensFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<TokenEntry[]> {
  const file = env.OPENCLAW_TOKENS_FILE?.trim();
  return mergeTokenEntries(loadEnvTokens(env), file ? await loadTokensFile(file) : []);
}
