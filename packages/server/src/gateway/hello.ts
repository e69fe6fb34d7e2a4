import {
  MANIFEST_LIMITS,
  MANIFEST_REF_PATTERN,
  OpenClawError,
  PLATFORMS,
  assertValid,
  createSchemaCompiler,
  type HelloPayload,
  type PluginManifest,
} from '@openclaw-node/core';
import { parseHelloFacts } from '../nodes/health/parse-health.js';
import { validateManifestOnce } from './manifest-memo.js';

/** `sha256:` and 64 hex digits. */
const REF_LENGTH = 71;
const REF_PREFIX = 'sha256:';

const HELLO_SCHEMA = {
  type: 'object',
  required: ['nodeId', 'hostname', 'platform', 'arch', 'agentVersion'],
  properties: {
    nodeId: { type: 'string', maxLength: 128 },
    hostname: { type: 'string', maxLength: 255 },
    platform: { enum: [...PLATFORMS] },
    arch: { type: 'string', maxLength: 32 },
    agentVersion: { type: 'string', maxLength: 64 },
    tags: { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 64 } },
    plugins: { type: 'array', maxItems: MANIFEST_LIMITS.maxPlugins, items: { type: 'object' } },
    pluginRefs: {
      type: 'array',
      maxItems: MANIFEST_LIMITS.maxPlugins,
      uniqueItems: true,
      items: { type: 'string', maxLength: REF_LENGTH, pattern: MANIFEST_REF_PATTERN },
    },
    skipped: {
      type: 'array',
      maxItems: 256,
      items: {
        type: 'object',
        required: ['name', 'reason'],
        properties: {
          name: { type: 'string', maxLength: 128 },
          reason: { type: 'string', maxLength: 2000 },
          code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' },
        },
      },
    },
  },
};

// Its patterns are written here, and linear on any input: JavaScript's RegExp runs them.
const checkHello = createSchemaCompiler({ allErrors: false, useDefaults: false, ownPatterns: true }).compile(
  HELLO_SCHEMA,
  'hello',
);

/** Where a ref's hash (hex, no prefix) is looked up: the manifest, if this server process knows it (PluginCatalog). */
export interface KnownManifests {
  known(hash: string): PluginManifest | undefined;
}

/**
 * Validate an agent's `hello` (types are not validation): shape and limits, node id equal to the
 * handshake's, every manifest through core's validateManifest (once per distinct manifest), every ref
 * known (`manifests`; else MANIFEST_UNKNOWN naming the unknown ones), no plugin twice. Unknown fields are
 * ignored so a newer agent of the same protocol still connects.
 */
export function parseHello(
  payload: unknown,
  handshakeNodeId: string,
  manifests: KnownManifests,
): HelloPayload {
  assertValid(checkHello(payload), 'INVALID_BODY');
  const hello = payload as Omit<HelloPayload, 'plugins'> & { plugins?: unknown[] };
  if (hello.nodeId !== handshakeNodeId) {
    throw new OpenClawError(
      'INVALID_BODY',
      `hello.nodeId "${hello.nodeId}" differs from the handshake's "${handshakeNodeId}"`,
      { details: { field: 'hello.nodeId' } },
    );
  }
  const sent = hello.plugins ?? [];
  const refs = hello.pluginRefs ?? [];
  if (hello.plugins === undefined && hello.pluginRefs === undefined) {
    throw new OpenClawError('INVALID_BODY', 'hello needs plugins (or pluginRefs)', {
      details: { field: 'hello.plugins' },
    });
  }
  if (sent.length + refs.length > MANIFEST_LIMITS.maxPlugins) {
    throw new OpenClawError(
      'INVALID_BODY',
      `hello advertises ${sent.length + refs.length} plugins, over the limit of ${MANIFEST_LIMITS.maxPlugins}`,
      { details: { field: 'hello.pluginRefs' } },
    );
  }
  const byRef = refs.map((ref) => manifests.known(ref.slice(REF_PREFIX.length)));
  const unknown = refs.filter((_, i) => byRef[i] === undefined);
  if (unknown.length > 0) {
    throw new OpenClawError(
      'MANIFEST_UNKNOWN',
      `this server does not know ${unknown.length} of the plugin manifests the hello names: send them in full`,
      { details: { field: 'hello.pluginRefs', refs: unknown } },
    );
  }
  const names = new Set<string>();
  const unique = (valid: PluginManifest, field: string): PluginManifest => {
    if (names.has(valid.name)) {
      throw new OpenClawError('MANIFEST_INVALID', `plugin ${valid.name} is advertised twice`, {
        details: { plugin: valid.name, field },
      });
    }
    names.add(valid.name);
    return valid;
  };
  const plugins: PluginManifest[] = [
    ...sent.map((manifest, i) => unique(validateManifestOnce(manifest), `hello.plugins[${i}].name`)),
    ...byRef.map((manifest, i) => unique(manifest!, `hello.pluginRefs[${i}]`)),
  ];
  return {
    nodeId: hello.nodeId,
    hostname: hello.hostname,
    platform: hello.platform,
    arch: hello.arch,
    agentVersion: hello.agentVersion,
    tags: hello.tags ?? [],
    plugins,
    skipped: (hello.skipped ?? []).map(({ name, reason, code }) => ({
      name,
      reason,
      ...(code ? { code } : {}),
    })),
    ...parseHelloFacts(payload as Record<string, unknown>),
  };
}
