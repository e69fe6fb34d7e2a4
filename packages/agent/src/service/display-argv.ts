import { shellLine } from '@openclaw-node/core';
import type { ServicePlatform } from './service-plan.js';
import { windowsCommandLine } from './windows-command-line.js';

/** An argv array as a person would type it (POSIX shell or cmd.exe quoting), for display only. */
export function displayArgv(platform: ServicePlatform, argv: readonly string[]): string {
  if (platform === 'windows') return windowsCommandLine(argv);
  return shellLine(argv);
}
