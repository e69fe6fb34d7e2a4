/** The roles a principal can hold: agents connect, operators call the REST API, admins do both. */
export const ROLES = ['agent', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by an AuthProvider. */
export interface Principal {
  /** A label for logs (never the secret itself). */
  name: string;
  roles: readonly Role[];
}

/**
 * Turns a presented credential into a principal, or null when it is not valid.
 * Token lists today; scoped tokens and JWT/OIDC can implement the same interface later.
 */
export interface AuthProvider {
  authenticate(credential: string): Principal | null | Promise<Principal | null>;
}

/** True when the principal holds `role` (admin holds every role). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role) || principal.roles.includes('admin');
}
