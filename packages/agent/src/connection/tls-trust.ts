import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { OpenClawError, docsUrl } from '@openclaw-node/core';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CAs the agent trusts for its server connection: the system's (Node's bundled roots) plus the
 * certificates of the `ca:` file, for this connection only. Undefined without `ca:`. Throws
 * CONFIG_INVALID naming `ca` when the file cannot be read or holds no certificate.
 */
export function loadTrustedCa(caFile: string | undefined): string[] | undefined {
  if (caFile === undefined) return undefined;
  const fail = (problem: string, cause?: unknown): never => {
    throw new OpenClawError('CONFIG_INVALID', `ca ${problem}; set ca: to the PEM file of your studio CA`, {
      details: { field: 'ca', file: caFile },
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let text = '';
  try {
    text = readFileSync(caFile, 'utf8');
  } catch (cause) {
    fail(`cannot be read from ${caFile} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) fail(`${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (cause) {
      fail(`${caFile} holds a certificate that cannot be parsed`, cause);
    }
  }
  return [...rootCertificates, ...blocks];
}

/** Node's codes for a server certificate the client does not trust. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** A TLS failure of the server connection, in words that say what to fix. */
export interface TlsFailure {
  code: 'TLS_UNTRUSTED';
  /** Node's own code (SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID…). */
  reason: string;
  message: string;
}

function causeCode(error: unknown): string | undefined {
  // engine.io wraps the transport error: connect_error → description (ws's ErrorEvent) → error → code.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const node = current as { code?: unknown; description?: unknown; error?: unknown; cause?: unknown };
    const code = node.code;
    if (
      typeof code === 'string' &&
      (UNTRUSTED.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_'))
    ) {
      return code;
    }
    current = node.description ?? node.error ?? node.cause;
  }
  return undefined;
}

/**
 * Recognise a `connect_error` (or a request error) caused by the server's certificate and say how to
 * fix it. These are configuration errors, but the agent keeps retrying with backoff: the certificate
 * may be fixed on the server side, so the message ends in "retrying" unless `retrying` is false (a
 * one-off check such as `openclaw agent doctor`). Undefined for any other error.
 */
export function describeTlsFailure(
  error: unknown,
  caFile: string | undefined,
  { retrying = true }: { retrying?: boolean } = {},
): TlsFailure | undefined {
  const reason = causeCode(error);
  if (reason === undefined) return undefined;
  let message: string;
  if (reason === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    message =
      "the server's certificate is for another host name: use a name the certificate lists in server_url (node_config.yaml)";
  } else if (reason === 'CERT_HAS_EXPIRED' || reason === 'CERT_NOT_YET_VALID') {
    message = `the server's certificate is not valid now (${reason}): renew it on the server, or check this machine's clock`;
  } else {
    message = caFile
      ? `the server's certificate is not trusted: ca: ${caFile} in node_config.yaml does not vouch for it; set ca: to the CA that signed the server's certificate`
      : "the server's certificate is not trusted: set ca: in node_config.yaml to your studio CA";
  }
  return { code: 'TLS_UNTRUSTED', reason, message: retrying ? `${message}; retrying` : message };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A warning when the agent would send its token in clear text to another machine (ws:// or http://). */
export function plainTextWarning(origin: string): string | undefined {
  const url = new URL(origin);
  if (url.protocol !== 'http:' || LOOPBACK.test(url.hostname)) return undefined;
  return `server_url is not encrypted (ws://${url.host}): the token and every job travel in clear text; use wss:// (see ${docsUrl('security.md')})`;
}
