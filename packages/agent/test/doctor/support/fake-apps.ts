import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A fake RV: `rv -version` prints MAJOR.MINOR.REV and exits 0, as OpenRV's main.cpp does (APPS.md §2).
 * Returns the folder to put first on PATH.
 */
export async function installFakeRv(dir: string, version = '2024.1.0'): Promise<{ bin: string; rv: string }> {
  const bin = path.join(dir, 'fake-bin');
  await mkdir(bin, { recursive: true });
  const rv = path.join(bin, 'rv');
  await writeFile(
    rv,
    `#!/usr/bin/env node
if (process.argv.includes('-version')) {
  process.stdout.write(${JSON.stringify(`${version}\n`)});
  process.exit(0);
}
process.exit(0);
`,
  );
  await chmod(rv, 0o755);
  return { bin, rv };
}

/** PATH with `bin` first and the folder of this Node.js (for the fakes' `#!/usr/bin/env node`). */
export function pathWith(bin: string): string {
  return [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
}
