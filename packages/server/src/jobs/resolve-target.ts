import { OpenClawError, type ActionId, type ActionManifest, type Validator } from '@openclaw-node/core';
import type { AdvertisedPlugin, NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';

/** Where one exec goes: the node, its copy of the plugin, the action and its compiled validator. */
export interface ExecTarget {
  session: NodeSession;
  plugin: AdvertisedPlugin;
  action: ActionManifest;
  validate: Validator;
}

/** Find node → plugin → action; throws NODE_NOT_FOUND, PLUGIN_NOT_FOUND, PLATFORM_UNSUPPORTED or ACTION_NOT_FOUND. */
export function resolveTarget(
  registry: NodeRegistry,
  catalog: PluginCatalog,
  nodeId: string,
  id: ActionId,
): ExecTarget {
  const session = registry.get(nodeId);
  if (!session) {
    throw new OpenClawError(
      'NODE_NOT_FOUND',
      `No node "${nodeId}" is connected (GET /api/nodes lists them)`,
      {
        details: { node_id: nodeId },
      },
    );
  }
  const plugin = session.plugins.get(id.plugin);
  if (!plugin) return missingPlugin(session, catalog, id.plugin);
  if (!plugin.manifest.platforms.includes(session.platform)) {
    throw platformUnsupported(session, id.plugin, `it supports ${plugin.manifest.platforms.join(', ')}`);
  }
  const action = Object.hasOwn(plugin.manifest.actions, id.action)
    ? plugin.manifest.actions[id.action]
    : undefined;
  const validate = action && catalog.validator(plugin.hash, id.action);
  if (!action || !validate) {
    const known = Object.keys(plugin.manifest.actions).sort();
    throw new OpenClawError(
      'ACTION_NOT_FOUND',
      `Plugin ${id.plugin} ${plugin.manifest.version} on node "${nodeId}" has no action "${id.action}"; it has: ${known.join(', ')}`,
      { details: { field: 'action', plugin: id.plugin, action: id.action, actions: known } },
    );
  }
  return { session, plugin, action, validate };
}

function missingPlugin(session: NodeSession, catalog: PluginCatalog, name: string): never {
  const skipped = session.skipped.find((s) => s.name === name);
  const elsewhere = catalog.get(name);
  // Agents since the structured `code` say why; older ones only word the reason freely
  // ("supports windows, darwin only; this node runs linux").
  const skippedForPlatform =
    skipped !== undefined &&
    (skipped.code !== undefined
      ? skipped.code === 'PLATFORM_UNSUPPORTED'
      : /platform|support/i.test(skipped.reason));
  if (skippedForPlatform || (elsewhere && !elsewhere.platforms.includes(session.platform))) {
    throw platformUnsupported(
      session,
      name,
      skipped?.reason ?? `it supports ${elsewhere!.platforms.join(', ')}`,
    );
  }
  if (skipped) {
    throw new OpenClawError(
      'PLUGIN_NOT_FOUND',
      `Node "${session.nodeId}" did not load plugin ${name}: ${skipped.reason}`,
      {
        details: { field: 'action', plugin: name, reason: skipped.reason },
      },
    );
  }
  const loaded = [...session.plugins.keys()].sort();
  throw new OpenClawError(
    'PLUGIN_NOT_FOUND',
    `Node "${session.nodeId}" has no plugin ${name}; it has: ${loaded.join(', ') || 'none'}`,
    { details: { field: 'action', plugin: name, plugins: loaded } },
  );
}

function platformUnsupported(session: NodeSession, name: string, reason: string): OpenClawError {
  return new OpenClawError(
    'PLATFORM_UNSUPPORTED',
    `Plugin ${name} is not available on node "${session.nodeId}" (${session.platform}): ${reason}`,
    { details: { field: 'action', plugin: name, platform: session.platform, reason } },
  );
}
