// Shared by the told-start tests (the hand-over of a job's start with its first event).
import { Redis } from 'ioredis';
import { api, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';

export const listedOn = (url: string, nodeId: string): Promise<true> =>
  waitFor(async () => {
    const nodes = (await api(url, '/api/nodes')).body.nodes as { node_id: string }[];
    return nodes.some((n) => n.node_id === nodeId) ? true : undefined;
  }, `${nodeId} listed on ${url}`);

/** Client ids of connections with this name (CLIENT LIST). */
export async function clientIds(url: string, name: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const list = (await redis.call('CLIENT', 'LIST')) as string;
    return list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /^id=(\d+)/.exec(line)![1]!);
  } finally {
    redis.disconnect();
  }
}

export async function killClient(url: string, id: string): Promise<void> {
  const redis = new Redis(url);
  try {
    await redis.call('CLIENT', 'KILL', 'ID', id);
  } finally {
    redis.disconnect();
  }
}

export async function runnerField(url: string, prefix: string, commandId: string): Promise<string | null> {
  const redis = new Redis(url);
  try {
    return await redis.hget(clusterKeys(prefix).job(commandId), '_r');
  } finally {
    redis.disconnect();
  }
}

/** A job as GET /api/jobs/:id answers, as far as these tests read it. */
export interface EndedJob {
  state: string;
  error?: { code: string } | null;
  [field: string]: unknown;
}

/** The job once it has ended (as `server` reads it). */
export function endedJob(server: { url: string }, id: string, what = `job ${id} ended`): Promise<EndedJob> {
  return waitFor(async () => {
    const r = await api(server.url, `/api/jobs/${id}`);
    const state = r.body.state as string;
    return state !== 'running' && state !== 'queued' ? (r.body as EndedJob) : undefined;
  }, what);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type { TestServer };

const xrangeOf = Redis.prototype as unknown as { xrange: (...args: unknown[]) => Promise<unknown> };
const realXrange = xrangeOf.xrange;

/**
 * Hold every XRANGE of this process's ioredis clients (a store's catch-up read after a reconnect)
 * until `release()`; `reached` resolves at the first one. restoreCatchUpReads() undoes it.
 */
export function holdCatchUpReads(): { reached: Promise<void>; release: () => void } {
  let hit!: () => void;
  const reached = new Promise<void>((resolve) => (hit = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  xrangeOf.xrange = async function (this: unknown, ...args: unknown[]) {
    hit();
    await gate;
    return realXrange.apply(this, args);
  };
  return { reached, release };
}

/** Let XRANGE through again (afterEach, and once the held read is released). */
export function restoreCatchUpReads(): void {
  xrangeOf.xrange = realXrange;
}
