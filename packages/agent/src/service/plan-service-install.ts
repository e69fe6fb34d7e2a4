import { planLaunchAgent } from './launch-agent.js';
import type { PlanServiceOptions, ServicePlan } from './service-plan.js';
import { resolveServiceOptions } from './service-options.js';
import { planSystemdService } from './systemd-unit.js';
import { planScheduledTask } from './task-xml.js';

/**
 * Plan a per-user agent service in the artist's desktop session: the files to write and the argv
 * arrays to run per action. No I/O; defaults (home, user, uid) come from the current process.
 * @example
 * const plan = planServiceInstall({ platform: 'linux', nodeExecutable: process.execPath,
 *   agentEntry: '/opt/openclaw/agent/dist/bin.js', configPath: '/home/ana/.config/openclaw-node/node_config.yaml' });
 */
export function planServiceInstall(options: PlanServiceOptions): ServicePlan {
  const resolved = resolveServiceOptions(options);
  switch (resolved.platform) {
    case 'linux':
      return planSystemdService(resolved);
    case 'darwin':
      return planLaunchAgent(resolved);
    case 'windows':
      return planScheduledTask(resolved);
  }
}
