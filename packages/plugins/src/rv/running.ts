import { readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** An RV that announced its network port (it may have exited since: rvpush prunes stale files). */
export interface RunningRv {
  pid: number;
  tag: string | null;
  port: number;
}

const MAX_REPORTED = 32;

/**
 * RVs started with -network write their port to `<tmp>/tweak_rv_proc/<pid>_<tag>` (RvNetworkDialog
 * savePortNumber); this is the list rvpush chooses from, newest first.
 */
export async function listRunningRvs(dir = path.join(tmpdir(), 'tweak_rv_proc')): Promise<RunningRv[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: (RunningRv & { mtime: number })[] = [];
  for (const name of names.slice(0, 256)) {
    const match = /^(\d+)(?:_(.*))?$/.exec(name);
    if (!match) continue;
    try {
      const file = path.join(dir, name);
      const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
      const port = Number.parseInt(text.slice(0, 16), 10);
      if (!info.isFile() || !Number.isInteger(port) || port <= 0 || port > 65535) continue;
      found.push({ pid: Number(match[1]), tag: match[2] ? match[2] : null, port, mtime: info.mtimeMs });
    } catch {
      continue;
    }
  }
  return found
    .sort((a, b) => b.mtime - a.mtime)
    .slice(0, MAX_REPORTED)
    .map(({ pid, tag, port }) => ({ pid, tag, port }));
}
