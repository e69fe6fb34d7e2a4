import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { WebSocketServer } from 'ws';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { ChurnMap, ChurnSet } from '../../src/memory/churn-map.js';
import { keepAcksYoung } from '../../src/gateway/socket-acks.js';

/** A seeded pseudo-random sequence, so that a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('ChurnMap', () => {
  it('answers as a Map does through thousands of renewals', () => {
    const next = random(17);
    const churn = new ChurnMap<string, number>();
    const model = new Map<string, number>();
    for (let step = 0; step < 50_000; step++) {
      const key = `k${Math.floor(next() * 40)}`;
      const roll = next();
      if (roll < 0.45) {
        expect(churn.set(key, step)).toBe(churn);
        model.set(key, step);
      } else if (roll < 0.9) {
        expect(churn.delete(key)).toBe(model.delete(key));
      } else {
        expect([churn.get(key), churn.has(key)]).toEqual([model.get(key), model.has(key)]);
      }
      expect(churn.size).toBe(model.size);
    }
    expect([...churn]).toEqual([...model]);
    expect([...churn.keys()]).toEqual([...model.keys()]);
    expect([...churn.values()]).toEqual([...model.values()]);
    expect(churn.first()).toEqual(model.entries().next().value);
  });

  it('keeps the insertion order across renewals, so first() is the oldest entry', () => {
    const churn = new ChurnMap<number, string>();
    for (let i = 0; i < 1000; i++) {
      churn.set(i, `v${i}`);
      if (i >= 10) churn.delete(i - 10);
    }
    expect(churn.first()).toEqual([990, 'v990']);
    expect([...churn.keys()]).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    churn.set(990, 'again');
    expect(churn.first()).toEqual([990, 'again']);
    expect(new ChurnMap().first()).toBeUndefined();
  });

  it('visits each entry once while the loop deletes and adds past the renewal point', () => {
    const churn = new ChurnMap<number, number>();
    for (let i = 0; i < 100; i++) churn.set(i, i);
    const seen: number[] = [];
    for (const [key] of churn) {
      seen.push(key);
      churn.delete(key);
      // Writes enough to renew many times over, had the loop not been running.
      for (let j = 0; j < 5; j++) {
        churn.set(10_000 + key * 10 + j, 0);
        churn.delete(10_000 + key * 10 + j);
      }
      if (key === 50) churn.set(1_000_000, 1);
    }
    expect(seen.slice(0, 100)).toEqual([...Array(100).keys()]);
    // Added during the loop: visited, as a Map's loop visits it.
    expect(seen.at(-1)).toBe(1_000_000);
    expect(churn.size).toBe(0);
  });

  it('still works after a loop left by break, and forEach and clear do what a Map does', () => {
    const churn = new ChurnMap<string, number>();
    churn.set('a', 1).set('b', 2).set('c', 3);
    for (const [key] of churn) if (key === 'a') break;
    for (let i = 0; i < 500; i++) churn.set(`t${i}`, i).delete(`t${i}`);
    const each: string[] = [];
    churn.forEach((value, key) => each.push(`${key}=${value}`));
    expect(each).toEqual(['a=1', 'b=2', 'c=3']);
    churn.clear();
    expect(churn.size).toBe(0);
    expect(churn.get('a')).toBeUndefined();
    // Cleared inside a loop over it: the loop ends, as over a Map.
    churn.set('x', 1).set('y', 2).set('z', 3);
    const visited: string[] = [];
    for (const [key] of churn) {
      visited.push(key);
      churn.clear();
    }
    expect(visited).toEqual(['x']);
  });
});

describe('ChurnSet', () => {
  it('answers as a Set does', () => {
    const next = random(5);
    const churn = new ChurnSet<number>();
    const model = new Set<number>();
    for (let step = 0; step < 20_000; step++) {
      const value = Math.floor(next() * 30);
      if (next() < 0.5) {
        expect(churn.add(value)).toBe(churn);
        model.add(value);
      } else expect(churn.delete(value)).toBe(model.delete(value));
      expect(churn.has(value)).toBe(model.has(value));
      expect(churn.size).toBe(model.size);
    }
    expect([...churn]).toEqual([...model]);
    expect([...churn.values()]).toEqual([...model.values()]);
    churn.clear();
    expect(churn.size).toBe(0);
  });
});

describe('keepAcksYoung', () => {
  it('gives a socket.io socket a ChurnMap for its acks, and every ack still arrives', async () => {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'], wsEngine: WebSocketServer });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
    client.on('ask', (n: number, ack: (answer: number) => void) => ack(n * 2));
    try {
      const socket = await new Promise<Socket>((resolve) => io.on('connection', resolve));
      keepAcksYoung(socket);
      const holder = socket as unknown as { acks: unknown };
      expect(holder.acks).toBeInstanceOf(ChurnMap);
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, n) => socket.timeout(5000).emitWithAck('ask', n) as Promise<number>),
      );
      expect(answers).toEqual(Array.from({ length: 300 }, (_, n) => n * 2));
      expect((holder.acks as ChurnMap<number, unknown>).size).toBe(0);
      // A timed-out ack is deleted from it too (socket.io's own timeout path).
      client.off('ask');
      client.on('ask', () => undefined);
      await expect(socket.timeout(50).emitWithAck('ask', 1)).rejects.toThrow();
      expect((holder.acks as ChurnMap<number, unknown>).size).toBe(0);
    } finally {
      client.close();
      await io.close();
    }
  });
});
