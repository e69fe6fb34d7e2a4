import type { Server as HttpsServer } from 'node:https';
import { toErrorPayload } from '@openclaw-node/core';
import type { Logger } from 'pino';
import { watchFileChanges, type FileWatch, type FileWatchOptions } from '../../security/auth/file-watch.js';
import { loadTls, type LoadedTls } from './load-tls.js';
import type { TlsOptions } from './tls-options.js';

/** Days before expiry from which every start and reload warns. */
const EXPIRY_WARNING_DAYS = 21;

/** Log what certificate is served, warning when it expires soon. */
export function logCertificate(loaded: LoadedTls, logger: Logger, message: string): void {
  const days = Math.floor((loaded.validTo.getTime() - Date.now()) / 86_400_000);
  const entry = {
    subject: loaded.subject,
    alt_names: loaded.altNames,
    valid_to: loaded.validTo.toISOString(),
    fingerprint256: loaded.fingerprint256,
  };
  if (days < EXPIRY_WARNING_DAYS)
    logger.warn({ ...entry, days_left: days }, `${message}; it expires in ${days} days`);
  else logger.info(entry, message);
}

/**
 * Watch the certificate and key files (when given as paths) and swap the served certificate without a
 * restart when they change (a certbot or ACME renewal). A bad new pair is logged and the old one stays.
 */
export function watchTls(
  server: HttpsServer,
  options: TlsOptions,
  files: string[],
  logger: Logger,
  watch?: FileWatchOptions,
): FileWatch {
  let current = '';
  const reload = (): void => {
    let loaded: LoadedTls;
    try {
      loaded = loadTls(options);
    } catch (error) {
      const { code, message } = toErrorPayload(error);
      logger.error(
        { code, reason: message },
        'the new TLS certificate was refused; still serving the previous one',
      );
      return;
    }
    if (loaded.fingerprint256 === current) return;
    current = loaded.fingerprint256;
    server.setSecureContext({ cert: loaded.cert, key: loaded.key, ...(loaded.ca ? { ca: loaded.ca } : {}) });
    logCertificate(loaded, logger, 'TLS certificate reloaded');
  };
  try {
    current = loadTls(options).fingerprint256;
  } catch {
    current = '';
  }
  const watches = [...new Set(files)].map((file) => watchFileChanges(file, reload, watch));
  return { close: () => watches.forEach((w) => w.close()) };
}
