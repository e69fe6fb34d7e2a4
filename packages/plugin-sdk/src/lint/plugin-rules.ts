import { ACTION_NAME_PATTERN, PLATFORMS, PLUGIN_NAME_PATTERN } from '@openclaw-node/core';
import { SDK_VERSION } from '../version.js';
import { childField, type LintMessage } from './lint-message.js';
import { lintParamsSchema } from './schema-rules.js';

type Finding = Omit<LintMessage, 'file'>;

const pluginName = new RegExp(PLUGIN_NAME_PATTERN);
const actionName = new RegExp(ACTION_NAME_PATTERN);
const PLATFORM_ALIASES: Record<string, string> = {
  win32: 'windows',
  win: 'windows',
  macos: 'darwin',
  mac: 'darwin',
  osx: 'darwin',
};

/** Check a plugin definition's own fields and every action (but not the manifest schema itself). */
export function lintDefinitionFields(plugin: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const error = (rule: LintMessage['rule'], field: string, message: string): void => {
    findings.push({ level: 'error', rule, field, message });
  };

  if (typeof plugin.name !== 'string' || !pluginName.test(plugin.name)) {
    error(
      'name',
      'name',
      `${JSON.stringify(plugin.name)} is not a valid plugin name: use 1-64 lower-case letters, digits and "-", starting with a letter (action ids are <name>.<action>)`,
    );
  }
  if (typeof plugin.description !== 'string' || plugin.description.trim() === '') {
    error('description', 'description', 'the plugin has no description: say in one line what it drives');
  }
  findings.push(...lintPlatforms(plugin.platforms));

  const sdkMajor = /^(\d+)\./.exec(String(plugin.sdk))?.[1];
  if (sdkMajor !== SDK_VERSION.split('.')[0]) {
    error(
      'sdk-version',
      'sdk',
      `the plugin was defined with plugin SDK ${String(plugin.sdk)}, but this SDK is ${SDK_VERSION}: agents load only plugins of the same major version, so update @openclaw-node/plugin-sdk and rebuild`,
    );
  }

  const actions = plugin.actions;
  if (
    typeof actions !== 'object' ||
    actions === null ||
    Array.isArray(actions) ||
    Object.keys(actions).length === 0
  ) {
    error('manifest', 'actions', 'the plugin has no actions: give at least one (and a ping)');
    return findings;
  }
  for (const [name, action] of Object.entries(actions as Record<string, unknown>)) {
    findings.push(...lintAction(name, action));
  }
  if (!Object.hasOwn(actions, 'ping')) {
    findings.push({
      level: 'warning',
      rule: 'ping',
      field: 'actions.ping',
      message:
        'the plugin has no ping action: every built-in plugin answers <plugin>.ping, which scripts use to check a node',
    });
  }
  return findings;
}

function lintPlatforms(platforms: unknown): Finding[] {
  if (!Array.isArray(platforms) || platforms.length === 0) {
    return [
      {
        level: 'error',
        rule: 'platforms',
        field: 'platforms',
        message: `name at least one platform: ${PLATFORMS.join(', ')}`,
      },
    ];
  }
  const findings: Finding[] = [];
  const seen = new Set<unknown>();
  platforms.forEach((platform, index) => {
    const field = childField('platforms', index);
    if (!(PLATFORMS as readonly unknown[]).includes(platform)) {
      const alias = typeof platform === 'string' ? PLATFORM_ALIASES[platform.toLowerCase()] : undefined;
      findings.push({
        level: 'error',
        rule: 'platforms',
        field,
        message: `${JSON.stringify(platform)} is not a supported platform${alias ? `: write "${alias}"` : ''} (supported: ${PLATFORMS.join(', ')})`,
      });
    } else if (seen.has(platform)) {
      findings.push({
        level: 'warning',
        rule: 'platforms',
        field,
        message: `${JSON.stringify(platform)} is listed twice`,
      });
    }
    seen.add(platform);
  });
  return findings;
}

function lintAction(name: string, action: unknown): Finding[] {
  const field = childField('actions', name);
  const findings: Finding[] = [];
  if (!actionName.test(name)) {
    findings.push({
      level: 'error',
      rule: 'name',
      field,
      message: `"${name}" is not a valid action name: use lower-case letters, digits and "_", starting with a letter (e.g. open_sources)`,
    });
  }
  if (typeof action !== 'object' || action === null) {
    findings.push({
      level: 'error',
      rule: 'manifest',
      field,
      message: 'is not an action: define it with defineAction({ description, params, run })',
    });
    return findings;
  }
  const definition = action as Record<string, unknown>;
  if (typeof definition.run !== 'function') {
    findings.push({
      level: 'error',
      rule: 'handler',
      field: childField(field, 'run'),
      message: 'the action has no run(params, ctx) handler',
    });
  }
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    findings.push({
      level: 'error',
      rule: 'description',
      field: childField(field, 'description'),
      message: 'the action has no description: say in one line what it does',
    });
  }
  if (definition.params === undefined) {
    findings.push({
      level: 'error',
      rule: 'manifest',
      field: childField(field, 'params'),
      message:
        "the action has no params schema: use { type: 'object', additionalProperties: false, properties: {} } for none",
    });
  } else {
    findings.push(...lintParamsSchema(definition.params, childField(field, 'params')));
  }
  if (definition.result === undefined) {
    findings.push({
      level: 'warning',
      rule: 'result-schema',
      field: childField(field, 'result'),
      message:
        'the action has no result schema: callers cannot see what it returns, and nothing checks that it returns it',
    });
  }
  return findings;
}
