import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

/** Rotation defaults: 10 MiB per file, five rotated copies kept (60 MiB at most). */
export const LOG_ROTATION_DEFAULTS = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 } as const;

export interface RotatingLogFileOptions {
  /** The current log file, e.g. `~/.local/state/openclaw-node/logs/agent.log`. */
  file: string;
  /** Rotate once the file reaches this size. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated copies kept (`agent.log.1` … `agent.log.<n>`). Default 5. */
  maxFiles?: number;
  /** Called once when the file cannot be written any more (disk full, permissions); writes stop. */
  onError?: (error: Error) => void;
}

/** An append-only log file rotated by size, logrotate style. */
export interface RotatingLogFile {
  readonly file: string;
  /** Append one or more complete lines; ignored after close() or a write error. */
  write(text: string): void;
  /** Flush what was written and close the file. */
  close(): Promise<void>;
}

/**
 * Open `file` for appending (creating its folder, mode 0700, and the file, mode 0600) and rotate it
 * by size: `agent.log` → `agent.log.1` → … → `agent.log.<maxFiles>`, the oldest dropped. The current
 * file keeps its name, so `tail -f`, the service definitions and `openclaw agent logs` always find it.
 * Throws when the folder or the file cannot be created, so callers can report it at startup.
 * @example const log = createRotatingLogFile({ file: defaultLogFile() }); log.write('{"msg":"hi"}\n');
 */
export function createRotatingLogFile(options: RotatingLogFileOptions): RotatingLogFile {
  const maxBytes = options.maxBytes ?? LOG_ROTATION_DEFAULTS.maxBytes;
  const maxFiles = options.maxFiles ?? LOG_ROTATION_DEFAULTS.maxFiles;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError('maxBytes must be a positive integer');
  if (!Number.isInteger(maxFiles) || maxFiles < 1)
    throw new RangeError('maxFiles must be a positive integer');
  const file = path.resolve(options.file);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Created here, synchronously, so a permission problem surfaces now rather than as a stream event.
  closeSync(openSync(file, 'a', 0o600));

  const stream: RotatingFileStream = createStream(path.basename(file), {
    path: `${path.dirname(file)}${path.sep}`,
    size: `${maxBytes}B`,
    rotate: maxFiles,
    mode: 0o600,
  });
  let open = true;
  let closing: Promise<void> | undefined;
  stream.on('error', (error: Error) => {
    if (!open) return;
    open = false;
    options.onError?.(error);
  });
  return {
    file,
    write(text) {
      if (open) stream.write(text);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        const wasOpen = open;
        open = false;
        if (!wasOpen || stream.destroyed) return resolve();
        stream.once('error', () => resolve());
        stream.end(() => resolve());
      });
      return closing;
    },
  };
}
