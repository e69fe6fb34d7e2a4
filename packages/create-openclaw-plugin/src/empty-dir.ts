import { readdir } from 'node:fs/promises';
import { ScaffoldError } from './errors.js';

/** True when `dir` does not exist or holds nothing (a lone `.git` counts as empty). */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir);
    return entries.every((entry) => entry === '.git');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new ScaffoldError('--dir', `${dir} is a file, not a directory`);
    throw error;
  }
}
