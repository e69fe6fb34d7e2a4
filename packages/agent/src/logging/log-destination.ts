import { fstatSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { formatLogLine } from './pretty-log-line.js';
import { createRotatingLogFile, type RotatingLogFile } from './rotating-log-file.js';

type Terminal = NodeJS.WritableStream & { isTTY?: boolean; fd?: number; hasColors?: () => boolean };

export interface AgentLogDestinationOptions {
  /** The rotating JSON log file; null or undefined writes none. */
  file?: string | null;
  maxBytes?: number;
  maxFiles?: number;
  /** A terminal here gets human-readable lines. */
  stdout: NodeJS.WritableStream;
  /** Gets the JSON lines when stdout is not a terminal (journald, pipes), unless it is the log file itself. */
  stderr: NodeJS.WritableStream;
  /**
   * `auto` (default): readable lines on a terminal, JSON lines otherwise; `pretty` or `json` force one
   * (`--log-format`).
   */
  format?: LogFormat;
}

/** How the console shows log lines: see AgentLogDestinationOptions.format. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** The `--log-format` values. */
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];

/** Where the agent's log lines go: a pino destination plus what was chosen, for messages and tests. */
export interface AgentLogDestination {
  /** Pass to pino as its destination. */
  stream: Writable;
  /** The log file in use, or null (none asked for, or it could not be opened). */
  file: string | null;
  /** `pretty`: readable lines on stdout; `json`: JSON lines on stderr; `none`: the file only. */
  console: 'pretty' | 'json' | 'none';
  /** Why the log file is not in use although one was asked for. */
  fileError?: string;
  /** Flush and close the log file. */
  close(): Promise<void>;
}

/**
 * Fan pino's JSON lines out to the rotating log file and the console: readable lines when stdout is a
 * terminal, else JSON on stderr, except when stderr already is the log file (a LaunchAgent sends it
 * there), which would write every line twice. A log file that cannot be opened or written is
 * reported once on stderr; the agent keeps running.
 * @example const out = createAgentLogDestination({ file: defaultLogFile(), stdout: process.stdout, stderr: process.stderr });
 */
export function createAgentLogDestination(options: AgentLogDestinationOptions): AgentLogDestination {
  const stdout = options.stdout as Terminal;
  const stderr = options.stderr as Terminal;
  let file: RotatingLogFile | undefined;
  let fileError: string | undefined;
  if (options.file) {
    try {
      file = createRotatingLogFile({
        file: options.file,
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(options.maxFiles !== undefined ? { maxFiles: options.maxFiles } : {}),
        onError: (error) =>
          stderr.write(
            `openclaw-agent: cannot write the log file ${options.file}: ${error.message}; logging goes to the terminal only\n`,
          ),
      });
    } catch (error) {
      fileError = `cannot open the log file ${options.file}: ${(error as Error).message}`;
      stderr.write(`openclaw-agent: ${fileError}; logging goes to the terminal only\n`);
    }
  }
  const format = options.format ?? 'auto';
  const consoleMode: AgentLogDestination['console'] =
    format === 'pretty' || (format === 'auto' && stdout.isTTY === true)
      ? 'pretty'
      : file && isSameFile(stderr, file.file)
        ? 'none'
        : 'json';
  const colors = consoleMode === 'pretty' && (stdout.hasColors?.() ?? false);

  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      file?.write(text);
      if (consoleMode === 'json') stderr.write(text);
      else if (consoleMode === 'pretty') {
        for (const line of text.split('\n'))
          if (line !== '') stdout.write(`${formatLogLine(line, { colors })}\n`);
      }
      done();
    },
  });
  return {
    stream,
    file: file?.file ?? null,
    console: consoleMode,
    ...(fileError !== undefined ? { fileError } : {}),
    close: async () => {
      await file?.close();
    },
  };
}

/** True when `stream` is a file descriptor open on `file` (a service manager pointed stderr at it). */
function isSameFile(stream: Terminal, file: string): boolean {
  if (typeof stream.fd !== 'number') return false;
  try {
    const a = fstatSync(stream.fd);
    const b = statSync(file);
    return a.isFile() && a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
