import { OpenClawError } from '@openclaw-node/core';
import { ROLES, type Principal, type Role } from './auth-provider.js';
import { isValidGlob } from './globs.js';

/** Which claims hold what, after defaults. */
export interface ClaimMapping {
  rolesClaim: string;
  scopeClaim: string;
  nodesClaim: string;
  actionsClaim: string;
  nameClaim: string;
  roleMap?: Record<string, Role>;
  scopeMap: Record<string, Role>;
}

const MAX_LIST = 256;

function claimError(message: string, claim: string): OpenClawError {
  return new OpenClawError('AUTH_INVALID', message, { details: { reason: 'claims', claim } });
}

/** A claim by dotted path (`realm_access.roles`); own properties only. */
export function readClaim(payload: Record<string, unknown>, path: string): unknown {
  let node: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A claim that is a list of strings, or one string of space- or comma-separated words. */
function readList(payload: Record<string, unknown>, claim: string): string[] | undefined {
  const value = readClaim(payload, claim);
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
  if (!Array.isArray(list) || list.length > MAX_LIST || !list.every((item) => typeof item === 'string')) {
    throw claimError(`The token's ${claim} claim must be a list of strings`, claim);
  }
  return list;
}

function readGlobs(payload: Record<string, unknown>, claim: string): string[] | undefined {
  const list = readList(payload, claim);
  if (list === undefined) return undefined;
  if (list.length === 0 || !list.every(isValidGlob)) {
    throw claimError(
      `The token's ${claim} claim must be a non-empty list of globs (letters, digits, . _ - * ?)`,
      claim,
    );
  }
  return list;
}

/**
 * Turn verified JWT claims into a principal: the name from `nameClaim`, roles from the roles claim
 * (role names, or IdP group names through `roleMap`) and from scopes (`scopeMap`), node and action
 * globs from their claims. Unknown role names and scopes are ignored: a token with none of ours gets
 * no role, and every route then answers FORBIDDEN.
 */
export function principalFromClaims(payload: Record<string, unknown>, mapping: ClaimMapping): Principal {
  const name = readClaim(payload, mapping.nameClaim);
  if (typeof name !== 'string' || name === '' || name.length > 256) {
    throw claimError(
      `The token has no ${mapping.nameClaim} claim naming who it was issued to`,
      mapping.nameClaim,
    );
  }
  const roles = new Set<Role>();
  for (const value of readList(payload, mapping.rolesClaim) ?? []) {
    const mapped =
      mapping.roleMap && Object.hasOwn(mapping.roleMap, value) ? mapping.roleMap[value] : undefined;
    if (mapped) roles.add(mapped);
    else if ((ROLES as readonly string[]).includes(value)) roles.add(value as Role);
  }
  for (const scope of readList(payload, mapping.scopeClaim) ?? []) {
    if (Object.hasOwn(mapping.scopeMap, scope)) roles.add(mapping.scopeMap[scope]!);
  }
  const principal: Principal = { name, roles: ROLES.filter((r) => roles.has(r)), via: 'jwt' };
  const nodes = readGlobs(payload, mapping.nodesClaim);
  const actions = readGlobs(payload, mapping.actionsClaim);
  if (nodes) principal.nodes = nodes;
  if (actions) principal.actions = actions;
  if (typeof payload.exp === 'number') principal.expiresAt = new Date(payload.exp * 1000);
  return Object.freeze(principal);
}
