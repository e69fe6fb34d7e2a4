import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OpenClawError } from '@openclaw-node/core';
import type { TlsOptions } from './tls-options.js';

/** PEM material ready for `https.createServer`, with what the logs say about it. */
export interface LoadedTls {
  cert: string;
  key: string;
  ca?: string;
  subject: string;
  /** Subject alternative names, as `DNS:host, IP Address:1.2.3.4`. */
  altNames: string;
  validTo: Date;
  fingerprint256: string;
  /** The files to watch for renewal (options given as paths). */
  files: string[];
}

function fail(field: string, message: string, cause?: unknown): never {
  throw new OpenClawError('CONFIG_INVALID', `tls.${field} ${message}`, {
    details: { field: `tls.${field}` },
    ...(cause === undefined ? {} : { cause }),
  });
}

function pem(value: unknown, field: string, files: string[]): string {
  if (typeof value !== 'string' || value.trim() === '')
    return fail(field, 'must be a PEM string or the path of a PEM file');
  if (value.includes('-----BEGIN')) return value;
  try {
    const text = readFileSync(value, 'utf8');
    files.push(value);
    return text;
  } catch (cause) {
    return fail(
      field,
      `cannot be read from ${value} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      cause,
    );
  }
}

/**
 * Read and check TLS material: the certificate parses, the key is a private key that matches it.
 * An expired certificate is refused; throws CONFIG_INVALID naming `tls.cert`, `tls.key` or `tls.ca`.
 */
export function loadTls(options: TlsOptions, now = new Date()): LoadedTls {
  const files: string[] = [];
  const certPem = pem(options.cert, 'cert', files);
  const keyPem = pem(options.key, 'key', files);
  const caPem = options.ca === undefined ? undefined : pem(options.ca, 'ca', files);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (cause) {
    return fail('cert', 'is not a PEM certificate', cause);
  }
  let matches: boolean;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch (cause) {
    return fail('key', 'is not an unencrypted PEM private key', cause);
  }
  if (!matches) fail('key', 'does not belong to the certificate in tls.cert');
  const validTo = new Date(cert.validTo);
  if (validTo.getTime() <= now.getTime()) fail('cert', `expired on ${validTo.toISOString()}`);
  if (caPem !== undefined) {
    try {
      new X509Certificate(caPem);
    } catch (cause) {
      fail('ca', 'is not a PEM certificate', cause);
    }
  }
  const loaded: LoadedTls = {
    cert: certPem,
    key: keyPem,
    subject: cert.subject.replace(/\n/g, ', '),
    altNames: cert.subjectAltName ?? '',
    validTo,
    fingerprint256: cert.fingerprint256,
    files,
  };
  if (caPem !== undefined) loaded.ca = caPem;
  return loaded;
}
