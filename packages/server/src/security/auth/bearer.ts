import { OpenClawError } from '@openclaw-node/core';
import { hasRole, type AuthProvider, type Principal, type Role } from './auth-provider.js';

const BEARER = /^Bearer[ \t]+(\S(?:.*\S)?)[ \t]*$/i;

/** The token in an `Authorization: Bearer <token>` header; throws AUTH_REQUIRED / AUTH_INVALID. */
export function parseBearer(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new OpenClawError(
      'AUTH_REQUIRED',
      'A bearer token is required: send "Authorization: Bearer <token>"',
      {
        details: { field: 'authorization' },
      },
    );
  }
  const match = BEARER.exec(header);
  if (!match) {
    throw new OpenClawError('AUTH_INVALID', 'The Authorization header must have the form "Bearer <token>"', {
      details: { field: 'authorization' },
    });
  }
  return match[1]!;
}

/** Authenticate a credential and check the principal holds `role`; throws AUTH_INVALID / FORBIDDEN. */
export async function authenticate(
  provider: AuthProvider,
  credential: string,
  role: Role,
): Promise<Principal> {
  const principal = await provider.authenticate(credential);
  if (!principal) throw new OpenClawError('AUTH_INVALID', 'The token is not valid');
  if (!hasRole(principal, role)) {
    throw new OpenClawError('FORBIDDEN', `The token "${principal.name}" does not have the ${role} role`, {
      details: { required_role: role },
    });
  }
  return principal;
}
