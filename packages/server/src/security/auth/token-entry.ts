import { ROLES, type Role } from './auth-provider.js';
import { isValidGlob } from './globs.js';

/**
 * One accepted bearer token. With `roles` it is a scoped entry; without, a legacy entry with full
 * access (every role, every node, every action).
 */
export interface TokenEntry {
  /** A label for logs, the audit log and `Principal.name`. */
  name: string;
  /** The token itself; or give `sha256` instead. */
  token?: string;
  /** Lower-case hex SHA-256 of the token, so the file never holds the token. */
  sha256?: string;
  roles?: Role[];
  /** Node-id globs; absent means every node. */
  nodes?: string[];
  /** Action-id globs; absent means every action. */
  actions?: string[];
  /** Agent tokens: tag globs the agent may claim in its hello; other tags are dropped. Absent means any tag. */
  tags?: string[];
  /** Operators: may queue jobs for node ids the server has never seen (admins always may). */
  queue_unknown_nodes?: boolean;
  /** Agent tokens: may take a node id over from a connected agent that uses another token. */
  takeover?: boolean;
}

/** A token shorter than this is refused. */
export const MIN_TOKEN_LENGTH = 16;
/** A token shorter than this is accepted with a warning (`openclaw token create` makes 43). */
export const RECOMMENDED_TOKEN_LENGTH = 32;
/** What a legacy entry (no roles) may do. */
export const FULL_ACCESS_ROLES: readonly Role[] = ['agent', 'admin'];

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:/+-]{0,127}$/;
const SHA256_PATTERN = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const FIELDS = [
  'name',
  'token',
  'sha256',
  'roles',
  'nodes',
  'actions',
  'tags',
  'queue_unknown_nodes',
  'takeover',
];

/** Reports a problem with one field; never returns. */
export type FieldFailure = (field: string, message: string) => never;

/** True when the entry is the legacy full-access form (no roles). */
export function isFullAccess(entry: TokenEntry): boolean {
  return entry.roles === undefined;
}

/** Check a token string: at least `minLength` (MIN_TOKEN_LENGTH) characters, no whitespace inside. */
export function checkTokenValue(
  token: unknown,
  field: string,
  fail: FieldFailure,
  minLength = MIN_TOKEN_LENGTH,
): string {
  if (typeof token !== 'string' || token.trim() === '') return fail(field, 'must be a non-empty string');
  const value = token.trim();
  if (/\s/.test(value)) return fail(field, 'must not contain whitespace');
  if (value.length < minLength) {
    return fail(
      field,
      `is ${value.length} characters; a token needs at least ${minLength} (make one with: openclaw token create)`,
    );
  }
  return value;
}

/**
 * Validate one entry of a token list (a tokens file item or a ServerOptions.tokens item): a bare string
 * is a legacy full-access token; an object has a token or a sha256, and, when scoped, roles.
 */
export function parseTokenEntry(
  item: unknown,
  field: string,
  fallbackName: string,
  fail: FieldFailure,
  minLength = MIN_TOKEN_LENGTH,
): TokenEntry {
  if (typeof item === 'string')
    return { name: fallbackName, token: checkTokenValue(item, field, fail, minLength) };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return fail(field, 'must be a string or an object with a token or sha256 field');
  }
  const raw = item as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) fail(`${field}.${unknown}`, `is not a known field (${FIELDS.join(', ')})`);
  const scoped =
    raw.roles !== undefined ||
    raw.nodes !== undefined ||
    raw.actions !== undefined ||
    raw.tags !== undefined ||
    raw.queue_unknown_nodes !== undefined ||
    raw.takeover !== undefined;
  const entry: TokenEntry = {
    name: parseName(raw.name, `${field}.name`, fallbackName, scoped || raw.sha256 !== undefined, fail),
  };
  if (raw.token !== undefined && raw.sha256 !== undefined)
    fail(field, 'must have either token or sha256, not both');
  if (raw.sha256 !== undefined) {
    const match = typeof raw.sha256 === 'string' ? SHA256_PATTERN.exec(raw.sha256.trim()) : null;
    if (!match) fail(`${field}.sha256`, 'must be 64 hexadecimal characters (the SHA-256 of the token)');
    entry.sha256 = match[1]!.toLowerCase();
  } else if (raw.token === undefined) {
    fail(`${field}.token`, 'must be a non-empty string, or give sha256 instead');
  } else {
    entry.token = checkTokenValue(raw.token, `${field}.token`, fail, minLength);
  }
  if (scoped || raw.sha256 !== undefined) {
    if (raw.roles === undefined) {
      fail(`${field}.roles`, `is required for a scoped entry: a list of ${ROLES.join(', ')}`);
    }
    entry.roles = parseRoles(raw.roles, `${field}.roles`, fail);
  }
  if (raw.nodes !== undefined) entry.nodes = parseGlobs(raw.nodes, `${field}.nodes`, 'node-id', fail);
  if (raw.actions !== undefined)
    entry.actions = parseGlobs(raw.actions, `${field}.actions`, 'action-id', fail);
  if (raw.tags !== undefined) entry.tags = parseGlobs(raw.tags, `${field}.tags`, 'tag', fail);
  for (const flag of ['queue_unknown_nodes', 'takeover'] as const) {
    if (raw[flag] === undefined) continue;
    if (typeof raw[flag] !== 'boolean') fail(`${field}.${flag}`, 'must be true or false');
    entry[flag] = raw[flag];
  }
  return entry;
}

function parseName(
  value: unknown,
  field: string,
  fallback: string,
  required: boolean,
  fail: FieldFailure,
): string {
  if (value === undefined) {
    return required
      ? fail(field, 'is required for a scoped entry (it names the token in logs and the audit log)')
      : fallback;
  }
  if (typeof value !== 'string' || !NAME_PATTERN.test(value.trim())) {
    return fail(field, 'must be 1-128 letters, digits or . _ @ : / + -, starting with a letter or digit');
  }
  return value.trim();
}

function parseRoles(value: unknown, field: string, fail: FieldFailure): Role[] {
  if (!Array.isArray(value) || value.length === 0) {
    return fail(field, `must be a non-empty list of ${ROLES.join(', ')}`);
  }
  const roles = value.map((role, i) =>
    (ROLES as readonly unknown[]).includes(role)
      ? (role as Role)
      : fail(`${field}[${i}]`, `must be one of ${ROLES.join(', ')}`),
  );
  return [...new Set(roles)];
}

function parseGlobs(value: unknown, field: string, kind: string, fail: FieldFailure): string[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0) {
    return fail(field, `must be a non-empty list of ${kind} globs, e.g. ["ws-*"]`);
  }
  return list.map((glob, i) =>
    isValidGlob(glob)
      ? glob
      : fail(
          `${field}[${i}]`,
          `must be a ${kind} glob: letters, digits, ".", "_", "-", "*" and "?" (got ${JSON.stringify(glob)?.slice(0, 60)})`,
        ),
  );
}
