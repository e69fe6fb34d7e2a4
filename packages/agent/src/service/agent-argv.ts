import type { ResolvedServiceOptions } from './service-options.js';

/** The argv every service starts: node, the agent bin, its config, then any extra flags. */
export function agentArgv(options: ResolvedServiceOptions, extra: readonly string[] = []): string[] {
  return [options.nodeExecutable, options.agentEntry, '--config', options.configPath, ...extra];
}
