import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@openclaw-node/test-support/server';

// A WebSocket peer that never closes its side of the TCP connection (python-engineio after the
// server's close frame does this) must not hold server.close() up for ws's 30 s close timeout.

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Upgrade a raw socket to WebSocket on the agent path, then never answer anything again. */
function silentWebSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        'GET /ws/?EIO=4&transport=websocket HTTP/1.1\r\n' +
          `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    socket.once('data', (head: Buffer) => {
      if (head.toString('latin1').startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(`no upgrade: ${head.toString('latin1').split('\r\n')[0]}`));
    });
  });
}

describe('server.close() with a peer that never closes its socket', () => {
  it('cuts the upgraded socket after the grace instead of waiting for the peer', async () => {
    t = await startServer();
    const peer = await silentWebSocket(t.port);
    // A half-open peer: it keeps its side open after the server's FIN, as the Python client does.
    peer.on('end', () => undefined);
    const peerClosed = new Promise<void>((resolve) => peer.once('close', () => resolve()));
    await t.close();
    await peerClosed;
    expect(peer.destroyed).toBe(true);
    // The port is free again at once: a new server listens where the old one was.
    t = await startServer({ port: t.port });
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  }, 15_000);
});
