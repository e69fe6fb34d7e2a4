import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP front: several server processes behind one address, as a load balancer puts them. */
export interface TcpBalancer {
  port: number;
  /** Connections made so far, per backend port. */
  counts: Map<number, number>;
  close(): Promise<void>;
}

/**
 * Each connection goes to the first backend that accepts it, in order (`first`), or round-robin;
 * a backend that refuses is skipped, as a health-checking balancer does.
 */
export async function startTcpBalancer(
  backends: readonly number[],
  mode: 'first' | 'round-robin' = 'first',
): Promise<TcpBalancer> {
  const counts = new Map<number, number>();
  const open = new Set<Socket>();
  let turn = 0;
  const connectTo = (candidates: number[], client: Socket): void => {
    const port = candidates[0];
    if (port === undefined) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    upstream.once('error', () => {
      upstream.destroy();
      if (!client.destroyed) connectTo(candidates.slice(1), client);
    });
    upstream.once('connect', () => {
      counts.set(port, (counts.get(port) ?? 0) + 1);
      open.add(upstream);
      upstream.on('close', () => open.delete(upstream));
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  };
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    const order = [...backends];
    if (mode === 'round-robin') order.push(...order.splice(0, turn++ % order.length));
    connectTo(order, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
