/**
 * The roles a principal can hold: `agent` connects a workstation (never the REST API), `viewer` reads
 * the REST API, `operator` reads and runs actions, `admin` does everything.
 */
export const ROLES = ['agent', 'operator', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by an AuthProvider. */
export interface Principal {
  /** A label for logs and the audit log (a token's name, a JWT's subject): never the secret itself. */
  name: string;
  roles: readonly Role[];
  /** Node-id globs this principal may see, run actions on or connect as; absent means every node. */
  nodes?: readonly string[];
  /** Action-id globs (`rv.*`, `*.ping`) this principal may run; absent means every action. */
  actions?: readonly string[];
  /** Which kind of credential established it. */
  via?: 'token' | 'jwt';
  /** When the credential stops being valid (a JWT's `exp`): an agent connected with it is dropped then. */
  expiresAt?: Date;
  /** Agents: tag globs the agent may claim; absent means any tag. */
  tags?: readonly string[];
  /** May queue jobs for node ids the server has never seen (admins always may). */
  queueUnknownNodes?: boolean;
  /** Agents: may take a node id over from a connected agent that uses another credential. */
  takeover?: boolean;
}

/**
 * Who a principal is, for keys that must not collide across kinds of credential: a JWT whose `sub`
 * equals a static token's name is another principal.
 */
export function principalKey(principal: Principal): string {
  return `${principal.via ?? 'token'}:${principal.name}`;
}

/**
 * Turns a presented credential into a principal, or null when it is not valid. A provider may also
 * throw OpenClawError('AUTH_INVALID', reason) to say why (an expired JWT).
 */
export interface AuthProvider {
  authenticate(credential: string): Principal | null | Promise<Principal | null>;
}

/** True when the principal holds `role` (admin holds every role). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role) || principal.roles.includes('admin');
}
