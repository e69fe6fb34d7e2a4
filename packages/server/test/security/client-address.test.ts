import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/security/client-address.js';

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', false)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', undefined, true)).toBe('127.0.0.1');
  });

  it('takes the address the trusted proxy saw, not one the client wrote into the header', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.7', true)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.7', true)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', ['6.6.6.6', '198.51.100.7'], 1)).toBe('198.51.100.7');
  });

  it('falls back to the peer when the header holds no address', () => {
    expect(clientAddress('127.0.0.1', 'not-an-ip', true)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', true)).toBe('127.0.0.1');
  });
});
