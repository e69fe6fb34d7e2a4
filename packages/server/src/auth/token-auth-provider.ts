import { createHash, timingSafeEqual } from 'node:crypto';
import { ROLES, type AuthProvider, type Principal, type Role } from './auth-provider.js';

/** One accepted bearer token. */
export interface TokenEntry {
  /** A label for logs and for `Principal.name`. */
  name: string;
  token: string;
  /** Defaults to every role. */
  roles?: Role[];
}

interface HashedToken {
  digest: Buffer;
  principal: Principal;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * An AuthProvider over a fixed token list. Both sides are hashed to equal-length digests and every
 * entry is compared with timingSafeEqual, with no early exit, so timing reveals neither the token
 * nor which entry matched.
 */
export function createTokenAuthProvider(tokens: readonly TokenEntry[]): AuthProvider {
  const entries: HashedToken[] = tokens.map((entry) => ({
    digest: sha256(entry.token),
    principal: { name: entry.name, roles: entry.roles ?? [...ROLES] },
  }));
  return {
    authenticate(credential) {
      const presented = sha256(credential);
      let match: Principal | null = null;
      for (const entry of entries) {
        const equal = timingSafeEqual(presented, entry.digest);
        if (equal && match === null) match = entry.principal;
      }
      return match;
    },
  };
}
