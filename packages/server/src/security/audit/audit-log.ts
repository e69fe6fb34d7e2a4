import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';

/** What happened. */
export type AuditEventName =
  | 'exec'
  | 'exec.denied'
  | 'auth.failure'
  | 'agent.connect'
  | 'agent.refused'
  | 'agent.revoked'
  | 'token.reload';

/** One line of the audit log (JSON); `ts` is added when it is written. */
export interface AuditRecord {
  event: AuditEventName;
  /** A token's name or a JWT's subject; never the credential. */
  principal?: string;
  roles?: readonly string[];
  /** `token` or `jwt`. */
  via?: string;
  /** The client address (X-Forwarded-For only when trustProxy is set). */
  address?: string;
  /** `rest` or `agent`: where an authentication happened. */
  channel?: 'rest' | 'agent';
  method?: string;
  path?: string;
  node_id?: string;
  action?: string;
  /** `sha256:<hex>` of the stable JSON of the params after secret fields were redacted. */
  params_digest?: string;
  /** `success`, or the error code. */
  outcome: string;
  /** HTTP status of the outcome. */
  status?: number;
  duration_ms?: number;
  command_id?: string;
  /** A short reason for a refusal or failure (never the credential). */
  reason?: string;
  [extra: string]: unknown;
}

/** Where audit records go. */
export interface AuditLog {
  /** False when no audit file is configured: records are dropped. */
  readonly enabled: boolean;
  record(entry: AuditRecord): void;
  /** Reopen the file (after logrotate moved it). */
  reopen(): void;
  close(): Promise<void>;
}

/** At most one "cannot write the audit log" error line per this period. */
const ERROR_LOG_EVERY_MS = 60_000;

/**
 * An append-only JSON-lines audit log: the file is opened with O_APPEND (mode 0600 when created), each
 * record is one `write` of one line, so lines never interleave and a rotation by rename or truncation
 * is safe. Without a file, records are dropped. Write errors are logged, never thrown.
 * @example const audit = createAuditLog({ file: '/var/log/openclaw/audit.jsonl', logger });
 */
export function createAuditLog(options: { file?: string; logger: Logger }): AuditLog {
  const { file, logger } = options;
  if (!file) {
    return { enabled: false, record() {}, reopen() {}, close: () => Promise.resolve() };
  }
  let lastError = -Infinity;
  const open = (): WriteStream => {
    let fd: number;
    try {
      fd = openSync(file, 'a', 0o600);
    } catch (cause) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `Cannot open the audit log ${file} for appending (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
        { details: { field: 'auditLog', file }, cause },
      );
    }
    const stream = createWriteStream(file, { fd, flags: 'a' });
    stream.on('error', (error) => {
      if (Date.now() - lastError < ERROR_LOG_EVERY_MS) return;
      lastError = Date.now();
      logger.error({ err: error, file }, 'cannot write the audit log');
    });
    return stream;
  };
  let stream = open();
  return {
    enabled: true,
    record(entry) {
      stream.write(`${JSON.stringify({ ts: new Date().toISOString(), ...entry })}\n`);
    },
    reopen() {
      const previous = stream;
      try {
        stream = open();
      } catch (error) {
        logger.error({ err: error, file }, 'cannot reopen the audit log; still writing to the old file');
        return;
      }
      previous.end();
    },
    close() {
      return new Promise<void>((resolve) => {
        if (stream.closed || stream.destroyed) return resolve();
        stream.end(() => resolve());
      });
    },
  };
}
