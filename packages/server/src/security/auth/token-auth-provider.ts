import { createHash, hash, timingSafeEqual } from 'node:crypto';
import type { AuthProvider, Principal } from './auth-provider.js';
import { FULL_ACCESS_ROLES, type TokenEntry } from './token-entry.js';

export type { TokenEntry } from './token-entry.js';

interface HashedToken {
  digest: Buffer;
  principal: Principal;
}

/** SHA-256 of a token, as stored in a tokens file's `sha256:` field. */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Join token lists; a token listed twice is kept once (the first entry wins). */
export function mergeTokenEntries(...lists: readonly (readonly TokenEntry[])[]): TokenEntry[] {
  const seen = new Set<string>();
  return lists.flat().filter((entry) => {
    const digest = entry.sha256 ?? sha256Hex(entry.token ?? '');
    if (seen.has(digest)) return false;
    seen.add(digest);
    return true;
  });
}

/** The principal a token entry stands for: legacy entries (no roles) get full access. */
export function principalOf(entry: TokenEntry): Principal {
  const principal: Principal = {
    name: entry.name,
    roles: [...(entry.roles ?? FULL_ACCESS_ROLES)],
    via: 'token',
  };
  if (entry.nodes) principal.nodes = [...entry.nodes];
  if (entry.actions) principal.actions = [...entry.actions];
  if (entry.tags) principal.tags = [...entry.tags];
  if (entry.queue_unknown_nodes) principal.queueUnknownNodes = true;
  if (entry.takeover) principal.takeover = true;
  return Object.freeze(principal);
}

function digestOf(entry: TokenEntry): Buffer {
  if (entry.sha256 !== undefined) return Buffer.from(entry.sha256, 'hex');
  return createHash('sha256')
    .update(entry.token ?? '', 'utf8')
    .digest();
}

/**
 * An AuthProvider over a fixed token list (plain tokens and SHA-256 hashes alike). The presented token
 * is hashed and compared with every entry's digest through timingSafeEqual, with no early exit, so
 * timing reveals neither the token nor which entry matched.
 */
export function createTokenAuthProvider(tokens: readonly TokenEntry[]): AuthProvider {
  const entries: HashedToken[] = tokens.map((entry) => ({
    digest: digestOf(entry),
    principal: principalOf(entry),
  }));
  return {
    authenticate(credential) {
      // One-shot hash (no Hash object per request): half the time of createHash for a token.
      const presented = hash('sha256', credential, 'buffer');
      let match: Principal | null = null;
      for (const entry of entries) {
        const equal = entry.digest.length === presented.length && timingSafeEqual(presented, entry.digest);
        if (equal && match === null) match = entry.principal;
      }
      return match;
    },
  };
}
