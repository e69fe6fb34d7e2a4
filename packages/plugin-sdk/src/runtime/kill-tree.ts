import { execFile } from 'node:child_process';
import type { Platform } from '@openclaw-node/core';

/**
 * Kill a process and everything it started. POSIX children are spawned as process-group leaders
 * (`detached`), so signalling the negative pid reaches the group; Windows has `taskkill /T`.
 */
export function killTree(pid: number, platform: Platform, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (platform === 'windows') {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
