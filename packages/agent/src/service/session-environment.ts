import { docsUrl } from '@openclaw-node/core';
import type { ServicePlatform } from './service-plan.js';

/**
 * Warnings about installing from outside the desktop session, where the agent would start without
 * a display and the windows it opens would never appear.
 */
export function sessionEnvironmentWarnings(
  platform: ServicePlatform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const warnings: string[] = [];
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    warnings.push(
      `Neither DISPLAY nor WAYLAND_DISPLAY is set: run this from a terminal inside the artist's desktop session, or the agent will not see the display until the desktop imports it (see ${docsUrl('service.md')}).`,
    );
  }
  if (platform === 'linux' && !env.XDG_RUNTIME_DIR) {
    warnings.push(
      'XDG_RUNTIME_DIR is not set: systemctl --user cannot reach the user manager (sudo or su instead of a login?).',
    );
  }
  if (platform === 'darwin' && env.SSH_CONNECTION && !env.__CFBundleIdentifier) {
    warnings.push(
      'This is an ssh session: the LaunchAgent loads only into a GUI login (someone must be logged in at the screen).',
    );
  }
  return warnings;
}
