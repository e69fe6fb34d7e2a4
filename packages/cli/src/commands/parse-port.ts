import { UsageError } from '../clipanion.js';

/** A TCP port from a flag or variable: an integer 0-65535 (0 picks a free port). */
export function parsePort(text: string, name: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new UsageError(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
