import { docsUrl, type Platform } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';
import type { AgentConfig } from '../../config/agent-config.js';
import type { RuntimeFactory } from '../../executor/action-context.js';
import { detectPluginApps, type PluginAppStatus } from '../detect-apps.js';
import { check, type DoctorCheck } from '../doctor-report.js';

// How to point each built-in plugin at its application when it was not found.
const APP_HINTS: Record<string, string> = {
  rv: 'Install RV, or set plugin_config.rv.path to the rv executable (or the AGENT_RV_EXE environment variable).',
  nuke: 'Install Nuke, or set plugin_config.nuke.path to the Nuke executable (or the AGENT_NUKE_EXE environment variable).',
  resolve: `Install DaVinci Resolve Studio and start it, or set plugin_config.resolve.path (or AGENT_RESOLVE_EXE); see ${docsUrl('plugins/resolve.md')}.`,
  explorer: `Linux: install xdg-utils (xdg-open) and run the agent inside the desktop session; see ${docsUrl('plugins/explorer.md')}.`,
  shotgrid: `Set plugin_config.shotgrid (site, script_name and api_key) and check that this workstation reaches the site; see ${docsUrl('plugins/shotgrid.md')}.`,
};

/** One check per enabled plugin: it loads here and its application was found (path and version). */
export async function checkPlugins(options: {
  config: AgentConfig;
  file: string | null;
  platform: Platform;
  env: NodeJS.ProcessEnv;
  registry?: Record<string, PluginDefinition> | undefined;
  timeoutMs: number;
  createRuntime?: RuntimeFactory | undefined;
}): Promise<DoctorCheck[]> {
  const { config } = options;
  const where = options.file ?? 'node_config.yaml';
  if (config.plugins.length === 0) {
    return [
      check('plugins', 'Plugins', 'warn', 'no plugins are enabled: this node can run no action', {
        fix: `List plugins in ${where}, e.g. plugins: [explorer, rv], or rerun \`openclaw agent init\` to pick them from the applications found here.`,
      }),
    ];
  }
  const registry = options.registry ?? builtinPlugins;
  const statuses = await detectPluginApps({
    plugins: config.plugins,
    pluginDirs: config.plugin_dirs,
    pluginConfig: config.plugin_config,
    platform: options.platform,
    registry,
    env: options.env,
    timeoutMs: options.timeoutMs,
    ...(options.createRuntime ? { createRuntime: options.createRuntime } : {}),
  });
  return statuses.map((status) => pluginCheck(status, where, options.platform, Object.keys(registry)));
}

function pluginCheck(
  status: PluginAppStatus,
  where: string,
  platform: Platform,
  known: string[],
): DoctorCheck {
  const id = `plugin:${status.plugin}`;
  const title = `Plugin ${status.plugin}`;
  const data: Record<string, unknown> = { available: status.available, app: status.app };
  if (status.searched) data.searched = status.searched;
  if (!status.loaded) {
    const otherOs = /^supports .* only; this node runs/.test(status.reason ?? '');
    return check(id, title, otherOs ? 'warn' : 'fail', `not loaded: ${status.reason ?? 'unknown reason'}`, {
      fix: otherOs
        ? `Remove ${status.entry} from plugins in ${where} on ${platform} machines.`
        : `Remove ${status.entry} from plugins in ${where}, fix the name (built-in plugins: ${known.join(', ')}), or install the plugin package (npm, or a folder in plugin_dirs).`,
      data,
    });
  }
  if (status.available === true) {
    const app = status.app;
    const detail = app
      ? `${app.path}${app.version ? ` (version ${app.version})` : ''}${app.source ? `, found via ${app.source}` : ''}`
      : 'available';
    return check(id, title, 'ok', detail, { data });
  }
  const hint =
    APP_HINTS[status.plugin] ??
    `Install the application ${status.plugin} drives, or set plugin_config.${status.plugin}.path in ${where}.`;
  if (status.available === false) {
    const searched = status.searched?.length
      ? ` (looked in ${status.searched.slice(0, 6).join(', ')}${status.searched.length > 6 ? ', …' : ''})`
      : '';
    return check(id, title, 'fail', `${status.reason ?? 'the application was not found'}${searched}`, {
      fix: hint,
      data,
    });
  }
  return check(
    id,
    title,
    'warn',
    `could not tell whether the application is here: ${status.reason ?? 'no answer'}${status.code ? ` [${status.code}]` : ''}`,
    {
      fix: `${hint} Then run \`openclaw agent doctor\` again.`,
      data,
    },
  );
}
