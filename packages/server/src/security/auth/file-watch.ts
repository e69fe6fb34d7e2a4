import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface FileWatchOptions {
  /** Events within this time are folded into one change. Default 200 ms. */
  debounceMs?: number;
  /** Stat polling period, for file systems where fs.watch says nothing (NFS, some containers). Default 2000 ms. */
  pollMs?: number;
}

/** A watch on one file; close() stops it. */
export interface FileWatch {
  close(): void;
}

/**
 * Call `onChange` (debounced) when a file may have changed. Watches the file's folder rather than
 * the file, so an editor's save-by-rename or a Kubernetes secret's symlink swap is seen too, and also
 * polls its stat (mtime, size, inode). `onChange` should compare content: a call is a hint.
 */
export function watchFileChanges(
  file: string,
  onChange: () => void,
  options: FileWatchOptions = {},
): FileWatch {
  const debounceMs = options.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, debounceMs);
    timer.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    const name = path.basename(file);
    watcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name || changed.startsWith('..')) schedule();
    });
    // A watcher error (the folder removed) leaves the stat poll in charge.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }

  let signature: string | undefined;
  const poll = async (): Promise<void> => {
    const current = await stat(file).then(
      (s) => `${s.mtimeMs}:${s.size}:${s.ino}`,
      () => 'missing',
    );
    if (signature !== undefined && current !== signature) schedule();
    signature = current;
  };
  void poll();
  const poller = setInterval(() => void poll(), options.pollMs ?? 2000);
  poller.unref();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poller);
      watcher?.close();
    },
  };
}
