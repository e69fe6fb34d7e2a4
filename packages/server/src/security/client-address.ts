import { isIP } from 'node:net';

/** How many reverse proxies stand in front of the server: false/0 none (X-Forwarded-For ignored), true = 1. */
export type TrustProxy = boolean | number;

/** `::ffff:10.0.0.5` → `10.0.0.5`; anything else unchanged. */
function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The client's address. Without a trusted proxy it is the socket's peer. With `hops` trusted proxies
 * it is read from X-Forwarded-For counting from the right (each proxy appends the address it saw),
 * so a client cannot choose its address by sending the header itself.
 * @example clientAddress('127.0.0.1', '203.0.113.7', 1) // '203.0.113.7'
 */
export function clientAddress(
  remote: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: TrustProxy,
): string {
  const peer = normalise(remote ?? 'unknown');
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, Math.floor(trustProxy));
  if (hops === 0 || forwardedFor === undefined) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const chain = header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const picked = chain[Math.max(0, chain.length - hops)];
  return picked !== undefined && isIP(normalise(picked)) !== 0 ? normalise(picked) : peer;
}
