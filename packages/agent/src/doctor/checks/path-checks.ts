import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolutePathValue, shellQuote, type Platform } from '@openclaw-node/core';
import type { AgentConfig } from '../../config/agent-config.js';
import { createPathGuard } from '../../executor/path-guard.js';
import { check, type DoctorCheck } from '../doctor-report.js';

/** One check per allowed_paths entry: it exists, and this user can read and list it. */
export async function checkAllowedPaths(options: {
  config: AgentConfig;
  file: string | null;
  platform: Platform;
}): Promise<DoctorCheck[]> {
  const { config, platform } = options;
  const where = options.file ?? 'node_config.yaml';
  if (config.allowed_paths.length === 0) {
    const example = platform === 'windows' ? '["P:\\\\projects"]' : '[/mnt/projects]';
    return [
      check(
        'allowed-paths',
        'Allowed paths',
        'warn',
        'allowed_paths is empty: every action param that is a path is refused',
        {
          fix: `List the folders actions may use in ${where}, e.g. allowed_paths: ${example}.`,
        },
      ),
    ];
  }
  const ignored = new Set(createPathGuard({ allowedPaths: config.allowed_paths, platform }).ignoredRoots);
  return Promise.all(
    config.allowed_paths.map(async (entry): Promise<DoctorCheck> => {
      const id = `allowed-path:${entry}`;
      const title = `Allowed path ${entry}`;
      if (ignored.has(entry) || !isAbsolutePathValue(entry)) {
        return check(id, title, 'ok', `a path for another OS, ignored on ${platform}`);
      }
      let info;
      try {
        info = await stat(entry);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return check(
          id,
          title,
          'fail',
          code === 'ENOENT' ? 'does not exist' : `cannot be reached (${code ?? 'error'})`,
          {
            fix: `Mount or create ${entry}, or remove it from allowed_paths in ${where}.`,
            data: { code },
          },
        );
      }
      const wanted = info.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK;
      try {
        await access(entry, wanted);
      } catch {
        return check(
          id,
          title,
          'fail',
          `exists but this user cannot ${info.isDirectory() ? 'list' : 'read'} it`,
          {
            fix:
              platform === 'windows'
                ? `Give this user read access to ${entry}.`
                : `Give this user read access, e.g. chmod o+rx ${shellQuote(entry)} or add the user to its group.`,
          },
        );
      }
      if (!info.isDirectory()) {
        return check(id, title, 'warn', 'is a file, not a folder: only this one file is allowed', {
          fix: `List the folder that holds it in allowed_paths if actions should reach its neighbours.`,
        });
      }
      return check(id, title, 'ok', 'a readable folder');
    }),
  );
}
