import { readFile, stat } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/core';
import { parse as parseYaml } from 'yaml';
import { loadAgentConfig } from '../config/load-config.js';

/**
 * Check the config a service will run with before installing it: it must exist and be valid now,
 * since a service that cannot read it exits with CONFIG_INVALID and stays stopped. Returns warnings.
 */
export async function checkServiceConfig(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    throw new OpenClawError(
      'SERVICE_OPTIONS_INVALID',
      `config: ${configPath} does not exist: write node_config.yaml there first (server_url, auth_token, node_id), or pass --config <file>`,
      { details: { field: 'config', file: configPath } },
    );
  }
  const warnings: string[] = [];
  await loadAgentConfig({ configPath, env, onWarning: (message) => warnings.push(message) });
  if (readsEnvironment(text)) {
    warnings.push(
      `${configPath} reads \${VAR} from the environment, but the service does not inherit your shell's variables: write the values into the file (chmod 600 when it holds the token), or set them for the service manager (Linux: ~/.config/environment.d/*.conf).`,
    );
  }
  if (process.platform !== 'win32' && /^\s*auth_token\s*:/m.test(text)) {
    const mode = (await stat(configPath)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${configPath} holds the agent token and is readable by other users (mode ${mode.toString(8)}): chmod 600 ${configPath}`,
      );
    }
  }
  return warnings;
}

/** True when a value (not a comment, not a key) holds a `${VAR}` the agent expands (`$${` is literal). */
function readsEnvironment(text: string): boolean {
  const hasReference = (value: unknown): boolean => {
    if (typeof value === 'string') return /(^|[^$])\$\{/.test(value);
    if (Array.isArray(value)) return value.some(hasReference);
    if (typeof value === 'object' && value !== null) return Object.values(value).some(hasReference);
    return false;
  };
  // loadAgentConfig already parsed this text without error.
  return hasReference(parseYaml(text) as unknown);
}
