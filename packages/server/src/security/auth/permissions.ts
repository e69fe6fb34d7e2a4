import { OpenClawError } from '@openclaw-node/core';
import { hasRole, type Principal, type Role } from './auth-provider.js';
import { matchesAny } from './globs.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REST_ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

function forbidden(message: string, principal: Principal, details: Record<string, unknown>): OpenClawError {
  return new OpenClawError('FORBIDDEN', message, { details: { ...details, token: principal.name } });
}

/** True when the principal may use the REST API at all (admin, operator or viewer). */
export function canUseRest(principal: Principal): boolean {
  return REST_ROLES.some((role) => principal.roles.includes(role));
}

/**
 * Check the principal may call `method` on the REST API: agent tokens never may, viewers only read.
 * Throws FORBIDDEN naming the token.
 */
export function assertRestAccess(principal: Principal, method: string): void {
  if (!canUseRest(principal)) {
    const onlyAgent = principal.roles.includes('agent');
    throw forbidden(
      onlyAgent
        ? `The token "${principal.name}" is an agent token: it can connect a workstation but not call the REST API`
        : `The token "${principal.name}" has no role that allows the REST API (admin, operator or viewer)`,
      principal,
      { roles: [...principal.roles] },
    );
  }
  if (!READ_METHODS.has(method.toUpperCase()) && !hasRole(principal, 'operator')) {
    throw forbidden(
      `The token "${principal.name}" is read-only (viewer): ${method.toUpperCase()} needs the operator or admin role`,
      principal,
      { method: method.toUpperCase(), roles: [...principal.roles] },
    );
  }
}

/** True when the principal is limited to some nodes (so listings must be filtered for it). */
export function isNodeScoped(principal: Principal | undefined): boolean {
  return principal?.nodes !== undefined;
}

/** True when the principal may see `nodeId` (and its plugins, jobs) through the REST API. */
export function canSeeNode(principal: Principal | undefined, nodeId: string): boolean {
  return principal === undefined || matchesAny(principal.nodes, nodeId);
}

/** Throws FORBIDDEN `{ node_id, token }` when `nodeId` is outside the principal's node globs. */
export function assertCanSeeNode(principal: Principal | undefined, nodeId: string): void {
  if (principal && !canSeeNode(principal, nodeId)) {
    throw forbidden(`The token "${principal.name}" is not allowed to use node "${nodeId}"`, principal, {
      node_id: nodeId,
    });
  }
}

/** True when the principal may run `action` on `nodeId`. */
export function canExec(principal: Principal, nodeId: string, action: string): boolean {
  return (
    hasRole(principal, 'operator') &&
    matchesAny(principal.nodes, nodeId) &&
    matchesAny(principal.actions, action)
  );
}

/**
 * Check the principal may run `action` on `nodeId`: the operator (or admin) role, the node inside its
 * node globs, the action inside its action globs. Throws FORBIDDEN naming what was out of scope.
 * A missing principal (an embedding that bypasses auth) is allowed.
 */
export function assertCanExec(principal: Principal | undefined, nodeId: string, action: string): void {
  if (!principal) return;
  if (!hasRole(principal, 'operator')) {
    throw forbidden(
      `The token "${principal.name}" cannot run actions: that needs the operator or admin role`,
      principal,
      { action, node_id: nodeId, roles: [...principal.roles] },
    );
  }
  assertCanSeeNode(principal, nodeId);
  if (!matchesAny(principal.actions, action)) {
    throw forbidden(`The token "${principal.name}" is not allowed to run ${action}`, principal, { action });
  }
}

/** Throws FORBIDDEN unless the principal may connect an agent as `nodeId`. */
export function assertCanConnectAs(principal: Principal, nodeId: string): void {
  if (!hasRole(principal, 'agent')) {
    throw forbidden(`The token "${principal.name}" does not have the agent role`, principal, {
      required_role: 'agent',
    });
  }
  if (!matchesAny(principal.nodes, nodeId)) {
    throw forbidden(
      `The token "${principal.name}" is not allowed to connect as node "${nodeId}"`,
      principal,
      { node_id: nodeId },
    );
  }
}

/**
 * Check the principal may run `action` on some node (the operator role and its action globs), before
 * the nodes are known: a fan-out then keeps only the nodes canSeeNode allows.
 */
export function assertCanRunAction(principal: Principal | undefined, action: string): void {
  if (!principal) return;
  if (!hasRole(principal, 'operator')) {
    throw forbidden(
      `The token "${principal.name}" cannot run actions: that needs the operator or admin role`,
      principal,
      { action, roles: [...principal.roles] },
    );
  }
  if (!matchesAny(principal.actions, action)) {
    throw forbidden(`The token "${principal.name}" is not allowed to run ${action}`, principal, { action });
  }
}
