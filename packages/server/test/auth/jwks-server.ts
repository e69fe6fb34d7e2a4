import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** A signing key as an identity provider holds it. */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Make a key pair for `alg` (RS256, ES256, EdDSA) with a key id. */
export async function makeKey(alg: string, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey };
}

/** Sign a JWT with `key`; claims default to a 5-minute token for `sub: alice`. */
export async function signJwt(
  key: SigningKey,
  claims: JWTPayload,
  options: { issuer?: string; audience?: string | string[]; expiresIn?: string | number; kid?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ sub: 'alice', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuedAt();
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  else if (claims.exp === undefined) jwt.setExpirationTime('5m');
  return jwt.sign(key.privateKey);
}

/** A local JWKS endpoint, as an IdP publishes at `/.well-known/jwks.json`. */
export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches: number;
  setKeys(keys: SigningKey[]): void;
  close(): Promise<void>;
}

/** Serve the public halves of `keys` as a JWKS on 127.0.0.1, port 0. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let current = keys;
  const state = { fetches: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    state.fetches += 1;
    void Promise.all(
      current.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: 'sig' })),
    ).then((jwks) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return state.fetches;
    },
    setKeys(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A hand-made unsigned token (`alg: none`), which no library would produce for us. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
