import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write the config atomically with mode 0600 (it holds the token): a private temporary file in the
 * same folder, then renamed over the target, so a crash never leaves half a config and the token is
 * never readable by others, not even for a moment. Creates the folder (mode 0700) when missing.
 */
export async function writeConfigFile(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The umask can only remove bits from 0600; chmod anyway in case the file system ignored the mode.
  if (process.platform !== 'win32') await chmod(file, 0o600);
}
