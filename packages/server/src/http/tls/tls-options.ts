/** HTTPS/WSS for the server: PEM strings, or paths of PEM files (reloaded when they change). */
export interface TlsOptions {
  /** The certificate (chain), leaf first. */
  cert: string;
  /** Its private key (unencrypted PEM). */
  key: string;
  /** Extra CA certificates sent to complete the chain. */
  ca?: string;
}
