import {
  MANIFEST_LIMITS,
  OpenClawError,
  PLATFORMS,
  assertValid,
  createSchemaCompiler,
  type HelloPayload,
  type PluginManifest,
} from '@openclaw-node/core';
import { parseHelloFacts } from '../nodes/health/parse-health.js';
import { validateManifestOnce } from './manifest-memo.js';

const HELLO_SCHEMA = {
  type: 'object',
  required: ['nodeId', 'hostname', 'platform', 'arch', 'agentVersion', 'plugins'],
  properties: {
    nodeId: { type: 'string', maxLength: 128 },
    hostname: { type: 'string', maxLength: 255 },
    platform: { enum: [...PLATFORMS] },
    arch: { type: 'string', maxLength: 32 },
    agentVersion: { type: 'string', maxLength: 64 },
    tags: { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 64 } },
    plugins: { type: 'array', maxItems: MANIFEST_LIMITS.maxPlugins, items: { type: 'object' } },
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

const checkHello = createSchemaCompiler({ allErrors: false, useDefaults: false }).compile(
  HELLO_SCHEMA,
  'hello',
);

/**
 * Validate an agent's `hello` (types are not validation): shape and limits, node id equal to the
 * handshake's, every manifest through core's validateManifest (once per distinct manifest), no plugin
 * twice. Unknown fields are ignored so a newer agent of the same protocol still connects.
 */
export function parseHello(payload: unknown, handshakeNodeId: string): HelloPayload {
  assertValid(checkHello(payload), 'INVALID_BODY');
  const hello = payload as HelloPayload;
  if (hello.nodeId !== handshakeNodeId) {
    throw new OpenClawError(
      'INVALID_BODY',
      `hello.nodeId "${hello.nodeId}" differs from the handshake's "${handshakeNodeId}"`,
      { details: { field: 'hello.nodeId' } },
    );
  }
  const names = new Set<string>();
  const plugins: PluginManifest[] = hello.plugins.map((manifest, i) => {
    const valid = validateManifestOnce(manifest);
    if (names.has(valid.name)) {
      throw new OpenClawError('MANIFEST_INVALID', `plugin ${valid.name} is advertised twice`, {
        details: { plugin: valid.name, field: `hello.plugins[${i}].name` },
      });
    }
    names.add(valid.name);
    return valid;
  });
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
