import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { sequential, type Sequential } from '../stats.js';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'socketio-echo-server.ts');

/**
 * Sequential emit-with-ack round trips to a bare Socket.IO server in its own process: what any
 * request over this transport costs, before OpenClaw does anything.
 */
export async function measureSocketIoFloor(count: number, warmup: number): Promise<Sequential> {
  const server = execa(process.execPath, [...process.execArgv, SERVER], { reject: false });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      void server.then((r) => reject(new Error(`the echo server exited: ${String(r.stderr)}`)));
    });
    const socket = io(`http://127.0.0.1:${port}/agent`, {
      path: '/ws',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    // The shape of an exec request and its ack, so both ends serialise what exec does.
    const payload = {
      jobId: '6f1c0f43-6a57-4b7e-9a43-1d1b1c8a1f00',
      action: 'bench.noop',
      params: { n: 1 },
      timeoutMs: 30000,
    };
    const roundTrip = async (): Promise<void> => {
      await socket.timeout(10_000).emitWithAck('echo', payload);
    };
    for (let i = 0; i < warmup; i++) await roundTrip();
    const result = await sequential(count, roundTrip);
    socket.disconnect();
    return result;
  } finally {
    server.kill('SIGTERM');
    await server;
  }
}
