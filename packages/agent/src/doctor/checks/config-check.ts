import { readFile, stat } from 'node:fs/promises';
import { isOpenClawError, docsUrl } from '@openclaw-node/core';
import type { AgentConfig } from '../../config/agent-config.js';
import { loadAgentConfig } from '../../config/load-config.js';
import { check, type DoctorCheck } from '../doctor-report.js';

export interface ConfigCheckResult {
  checks: DoctorCheck[];
  config?: AgentConfig;
  filepath: string | null;
}

/** Load node_config.yaml as the agent would, and check that a file holding a token is private. */
export async function checkConfig(options: {
  configPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  nodePlatform: NodeJS.Platform;
}): Promise<ConfigCheckResult> {
  const warnings: string[] = [];
  const initHint = `openclaw agent init${options.configPath ? ` --config ${options.configPath}` : ''}`;
  let loaded;
  try {
    loaded = await loadAgentConfig({
      ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
      env: options.env,
      cwd: options.cwd,
      platform: options.nodePlatform,
      onWarning: (message) => warnings.push(message),
    });
  } catch (error) {
    const message = isOpenClawError(error) ? error.message : (error as Error).message;
    const file =
      isOpenClawError(error) && typeof error.details?.file === 'string' ? error.details.file : null;
    const missing = file === null || /does not exist/.test(message);
    return {
      filepath: file,
      checks: [
        check('config', 'Config file', 'fail', message, {
          fix: missing
            ? `Run \`${initHint}\` to write one (it asks for the server, the token and the plugins).`
            : `Fix ${file} as the message says (every key is described at ${docsUrl('agent.md#configuration-reference')}), or rewrite it with \`${initHint}\`.`,
          ...(file ? { data: { file } } : {}),
        }),
      ],
    };
  }
  const { config, filepath } = loaded;
  const prefix = `${filepath}: `;
  const said = warnings.map((warning) =>
    warning.startsWith(prefix) ? warning.slice(prefix.length) : warning,
  );
  const summary = `${filepath}: node ${config.node_id}, server ${config.server_url}, ${config.plugins.length} plugin(s), ${config.allowed_paths.length} allowed path(s)`;
  const checks = [
    warnings.length === 0
      ? check('config', 'Config file', 'ok', summary, { data: { file: filepath, nodeId: config.node_id } })
      : check('config', 'Config file', 'warn', `${summary}; ${said.join('; ')}`, {
          fix: `Remove or correct those settings in ${filepath}; the agent ignores them.`,
          data: { file: filepath, nodeId: config.node_id, warnings: said },
        }),
  ];
  if (filepath && options.nodePlatform !== 'win32') {
    const permissions = await checkPrivate(filepath);
    if (permissions) checks.push(permissions);
  }
  return { checks, config, filepath };
}

/** A config that holds the token itself (not a ${VAR}) must not be readable by other users. */
async function checkPrivate(file: string): Promise<DoctorCheck | undefined> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mode & 0o777)]);
  } catch {
    return undefined;
  }
  const literalToken = /^\s*auth_token\s*:\s*(?!["']?\$\{)\S/m.test(text);
  if (!literalToken) return undefined;
  if ((mode & 0o077) === 0) {
    return check(
      'config-permissions',
      'Config file permissions',
      'ok',
      `${file} is private (mode ${mode.toString(8)})`,
    );
  }
  return check(
    'config-permissions',
    'Config file permissions',
    'warn',
    `${file} holds the agent token and other users can read it (mode ${mode.toString(8)})`,
    { fix: `chmod 600 ${file}`, data: { mode: mode.toString(8) } },
  );
}
