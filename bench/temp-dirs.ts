import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const live = new Set<string>();
let hooked = false;

/**
 * A fresh directory under the OS temp dir that is removed when the benchmark exits, also when it is
 * interrupted (Ctrl-C, SIGTERM) and its `finally` blocks never run; removeTempDir() removes it earlier.
 */
export function benchTempDir(prefix: string): string {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const dir of live) rmSync(dir, { recursive: true, force: true });
    });
    // Exiting runs the hook above; execa's cleanup kills the child processes on the way out.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** Remove a directory of benchTempDir() now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
