import type { AuthProvider, Principal } from './auth-provider.js';

/** One provider of a composite, and which credentials it is asked about. */
export interface ProviderSlot {
  provider: AuthProvider;
  /** Only credentials of this shape reach the provider (a JWT provider skips opaque tokens). */
  accepts?: (credential: string) => boolean;
}

/**
 * Ask providers in order; the first principal wins. Static tokens come first (a constant-time hash
 * compare, no I/O), so only a credential no token matches reaches a JWT provider. A provider that
 * throws (an expired JWT) ends the search with its error.
 */
export function createCompositeAuthProvider(slots: readonly ProviderSlot[]): AuthProvider {
  return {
    async authenticate(credential): Promise<Principal | null> {
      for (const slot of slots) {
        if (slot.accepts && !slot.accepts(credential)) continue;
        const principal = await slot.provider.authenticate(credential);
        if (principal) return principal;
      }
      return null;
    },
  };
}
