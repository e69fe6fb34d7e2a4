import { describe, expect, it } from 'vitest';
import type { JobRecord, JobStore } from '../../src/jobs/index.js';
import { T0, caught, type StoreCapabilities, type StoreFactory } from './helpers.js';
import { newJob, useStores } from './job-store-suite.js';

const DAY = 24 * 3600 * 1000;

/** Every page of a listing, following next_cursor. */
async function allPages(
  store: JobStore,
  filter: Parameters<JobStore['list']>[0],
  limit: number,
): Promise<{ pages: JobRecord[][]; ids: string[] }> {
  const pages: JobRecord[][] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list(filter, { cursor, limit });
    pages.push(page.jobs);
    cursor = page.next_cursor;
    if (pages.length > 100) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { pages, ids: pages.flat().map((j) => j.command_id) };
}

/** The behaviour every JobStore shares: listing, idempotency, the offline queue and retention. */
export function describeJobStoreQueries(
  name: string,
  factory: StoreFactory,
  capabilities: StoreCapabilities = {},
): void {
  describe(`${name}: queries`, () => {
    const { clock, open } = useStores(factory);

    describe('list', () => {
      it('lists newest first and filters by node, state, action, batch and requester', async () => {
        const store = await open();
        const make = async (id: string, o: Parameters<typeof newJob>[0]): Promise<void> => {
          clock().advance(10);
          await store.create(newJob({ command_id: id, ...o }));
        };
        await make('a', { node_id: 'ws-1', action: 'rv.ping' });
        await make('b', { node_id: 'ws-2', action: 'rv.ping', batch_id: 'B' });
        await make('c', { node_id: 'ws-1', action: 'nuke.render_write', batch_id: 'B', requested_by: 'ann' });
        await make('d', { node_id: 'ws-1', action: 'rv.ping', state: 'running' });
        await store.transition('a', 'cancelled');
        const ids = async (filter: Parameters<JobStore['list']>[0]): Promise<string[]> =>
          (await store.list(filter)).jobs.map((j) => j.command_id);
        expect(await ids({})).toEqual(['d', 'c', 'b', 'a']);
        expect(await ids({ node_id: 'ws-1' })).toEqual(['d', 'c', 'a']);
        expect(await ids({ state: 'queued' })).toEqual(['c', 'b']);
        expect(await ids({ state: ['running', 'cancelled'] })).toEqual(['d', 'a']);
        expect(await ids({ action: 'rv.ping', node_id: 'ws-1' })).toEqual(['d', 'a']);
        expect(await ids({ batch_id: 'B' })).toEqual(['c', 'b']);
        expect(await ids({ requested_by: 'ann' })).toEqual(['c']);
        expect(await ids({ node_id: 'ws-9' })).toEqual([]);
        expect((await store.list({})).next_cursor).toBeNull();
      });

      it('pages through every job exactly once with ties in created_at', async () => {
        const store = await open();
        // 7 jobs in the same millisecond, then 5 later ones, ids deliberately not in creation order.
        for (const id of ['m', 'c', 'x', 'a', 'q', 'f', 'k']) await store.create(newJob({ command_id: id }));
        clock().advance(1);
        for (const id of ['z1', 'b1', 'y1', 'c1', 'a1']) await store.create(newJob({ command_id: id }));
        const { pages, ids } = await allPages(store, {}, 3);
        expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3]);
        expect(ids).toEqual(['z1', 'y1', 'c1', 'b1', 'a1', 'x', 'q', 'm', 'k', 'f', 'c', 'a']);
        const one = await allPages(store, {}, 1);
        expect(one.ids).toEqual(ids);
        const five = await allPages(store, {}, 5);
        expect(five.ids).toEqual(ids);
      });

      it('pages a filtered listing and keeps its place when newer jobs arrive between pages', async () => {
        const store = await open();
        for (let i = 0; i < 9; i++) {
          clock().advance(1);
          await store.create(newJob({ command_id: `n${i}`, node_id: i % 2 === 0 ? 'ws-even' : 'ws-odd' }));
        }
        const first = await store.list({ node_id: 'ws-even' }, { limit: 2 });
        expect(first.jobs.map((j) => j.command_id)).toEqual(['n8', 'n6']);
        clock().advance(1);
        await store.create(newJob({ command_id: 'n-new', node_id: 'ws-even' }));
        const second = await store.list({ node_id: 'ws-even' }, { limit: 2, cursor: first.next_cursor });
        expect(second.jobs.map((j) => j.command_id)).toEqual(['n4', 'n2']);
        const third = await store.list({ node_id: 'ws-even' }, { limit: 2, cursor: second.next_cursor });
        expect(third.jobs.map((j) => j.command_id)).toEqual(['n0']);
        expect(third.next_cursor).toBeNull();
      });

      it('gives an opaque base64url cursor and refuses one it did not make', async () => {
        const store = await open();
        for (let i = 0; i < 3; i++) await store.create(newJob());
        const { next_cursor } = await store.list({}, { limit: 1 });
        expect(next_cursor).toMatch(/^[\w-]+$/);
        for (const bad of [
          '%%%',
          'bm90IGpzb24',
          Buffer.from('[1]').toString('base64url'),
          'x'.repeat(2000),
        ]) {
          expect(await caught(() => store.list({}, { cursor: bad }))).toMatchObject({
            code: 'INVALID_CURSOR',
            status: 400,
            details: { field: 'cursor' },
          });
        }
      });

      it('checks limit and state, and caps a large limit', async () => {
        const store = await open();
        for (const limit of [0, -1, 1.5]) {
          expect(await caught(() => store.list({}, { limit }))).toMatchObject({
            details: { field: 'limit' },
          });
        }
        expect(await caught(() => store.list({ state: 'done' as never }))).toMatchObject({
          code: 'INVALID_BODY',
          details: { field: 'state' },
        });
        for (let i = 0; i < 3; i++) await store.create(newJob());
        expect((await store.list({}, { limit: 100_000 })).jobs).toHaveLength(3);
      });
    });

    describe('idempotency keys', () => {
      it('returns the original job for a repeated key by the same requester within the window', async () => {
        const store = await open();
        const first = await store.create(newJob({ idempotency_key: 'k-1', requested_by: 'ann' }));
        clock().advance(DAY - 1);
        const again = await store.create(newJob({ idempotency_key: 'k-1', requested_by: 'ann' }));
        expect(again).toEqual({ job: first.job, created: false });
        const other = await store.create(newJob({ idempotency_key: 'k-1', requested_by: 'bob' }));
        expect(other.created).toBe(true);
        const anonymous = await store.create(newJob({ idempotency_key: 'k-1', requested_by: null }));
        expect(anonymous.created).toBe(true);
        expect((await store.create(newJob({ idempotency_key: 'k-1', requested_by: null }))).job).toEqual(
          anonymous.job,
        );
        expect((await store.list({})).jobs).toHaveLength(3);
      });

      it('creates a new job once the window has passed', async () => {
        const store = await open({ idempotencyWindowMs: 1000 });
        const first = await store.create(newJob({ idempotency_key: 'k', requested_by: 'ann' }));
        clock().advance(1001);
        const second = await store.create(newJob({ idempotency_key: 'k', requested_by: 'ann' }));
        expect(second.created).toBe(true);
        expect(second.job.command_id).not.toBe(first.job.command_id);
        clock().advance(10);
        expect((await store.create(newJob({ idempotency_key: 'k', requested_by: 'ann' }))).job).toEqual(
          second.job,
        );
      });

      it('lets the jobs of one batch share a key, while another batch with it replays the first', async () => {
        const store = await open();
        const a = await store.create(
          newJob({ idempotency_key: 'fan', requested_by: 'ann', batch_id: 'b1', request_hash: 'h1' }),
        );
        const b = await store.create(newJob({ idempotency_key: 'fan', requested_by: 'ann', batch_id: 'b1' }));
        expect([a.created, b.created]).toEqual([true, true]);
        const again = await store.create(
          newJob({ idempotency_key: 'fan', requested_by: 'ann', batch_id: 'b2' }),
        );
        expect(again.created).toBe(false);
        expect(again.job.batch_id).toBe('b1');
        expect(a.job.request_hash).toBe('h1');
        const single = await store.create(newJob({ idempotency_key: 'fan', requested_by: 'ann' }));
        expect(single.created).toBe(false);
      });

      it('finds a job by requester and key created at or after sinceMs', async () => {
        const store = await open();
        const { job } = await store.create(newJob({ idempotency_key: 'k', requested_by: 'ann' }));
        expect(await store.findByIdempotencyKey('ann', 'k', T0)).toEqual(job);
        expect(await store.findByIdempotencyKey('ann', 'k', T0 - DAY)).toEqual(job);
        expect(await store.findByIdempotencyKey('ann', 'k', T0 + 1)).toBeUndefined();
        expect(await store.findByIdempotencyKey('bob', 'k', T0 - DAY)).toBeUndefined();
        expect(await store.findByIdempotencyKey(null, 'k', T0 - DAY)).toBeUndefined();
        expect(await store.findByIdempotencyKey('ann', 'other', T0 - DAY)).toBeUndefined();
      });
    });

    describe('offline queue', () => {
      it('lists the queued jobs of a node in creation order, leaving out immediate and past-ttl jobs', async () => {
        const store = await open();
        const ttl = (ms: number): number => clock().now() + ms;
        await store.create(newJob({ command_id: 'q2', node_id: 'ws-1', expires_at: ttl(60_000) }));
        await store.create(newJob({ command_id: 'q1', node_id: 'ws-1', expires_at: ttl(60_000) }));
        clock().advance(5);
        await store.create(newJob({ command_id: 'short', node_id: 'ws-1', expires_at: ttl(10) }));
        clock().advance(1);
        await store.create(newJob({ command_id: 'q3', node_id: 'ws-1', expires_at: ttl(60_000) }));
        await store.create(newJob({ command_id: 'now', node_id: 'ws-1' }));
        await store.create(newJob({ command_id: 'other', node_id: 'ws-2', expires_at: ttl(60_000) }));
        const ids = async (): Promise<string[]> =>
          (await store.queuedForNode('ws-1')).map((j) => j.command_id);
        expect(await ids()).toEqual(['q1', 'q2', 'short', 'q3']);
        clock().advance(10);
        expect(await ids()).toEqual(['q1', 'q2', 'q3']);
        await store.transition('q1', 'running');
        expect(await ids()).toEqual(['q2', 'q3']);
      });

      it('expires queued jobs past their ttl with JOB_EXPIRED and a state event', async () => {
        const store = await open();
        await store.create(newJob({ command_id: 'soon', expires_at: T0 + 100 }));
        await store.create(newJob({ command_id: 'later', expires_at: T0 + 10_000 }));
        await store.create(newJob({ command_id: 'immediate' }));
        expect(await store.expireQueued(T0 + 99)).toEqual([]);
        const expired = await store.expireQueued(T0 + 100);
        expect(expired.map((j) => j.command_id)).toEqual(['soon']);
        expect(expired[0]).toMatchObject({
          state: 'expired',
          error: { code: 'JOB_EXPIRED' },
          started_at: null,
        });
        expect((await store.listEvents('soon')).at(-1)?.data).toMatchObject({ state: 'expired' });
        expect((await store.get('later'))?.state).toBe('queued');
        expect((await store.get('immediate'))?.state).toBe('queued');
        clock().set(T0 + 20_000);
        expect((await store.expireQueued()).map((j) => j.command_id)).toEqual(['later']);
      });

      const lostTitle = capabilities.sharedStore
        ? 'leaves interrupted jobs to the cluster layer: markInterruptedAsLost() returns []'
        : 'marks running jobs and immediate queued jobs lost, keeping the offline queue';
      it(lostTitle, async () => {
        const store = await open();
        await store.create(newJob({ command_id: 'run', state: 'running' }));
        await store.create(newJob({ command_id: 'send', state: 'queued' }));
        await store.create(newJob({ command_id: 'wait', expires_at: T0 + 60_000 }));
        await store.create(newJob({ command_id: 'done', state: 'running' }));
        await store.transition('done', 'succeeded');
        if (capabilities.sharedStore) {
          expect(await store.markInterruptedAsLost()).toEqual([]);
          expect((await store.get('run'))?.state).toBe('running');
          expect((await store.get('send'))?.state).toBe('queued');
          return;
        }
        const lost = await store.markInterruptedAsLost();
        expect(lost.map((j) => [j.command_id, j.state, j.error?.code]).sort()).toEqual([
          ['run', 'lost', 'JOB_LOST'],
          ['send', 'lost', 'JOB_LOST'],
        ]);
        expect((await store.get('wait'))?.state).toBe('queued');
        expect((await store.get('done'))?.state).toBe('succeeded');
        expect(await store.markInterruptedAsLost()).toEqual([]);
      });
    });

    describe('purge', () => {
      it('removes terminal jobs that finished longer ago than maxAgeMs, with their events', async () => {
        const store = await open();
        await store.create(newJob({ command_id: 'old', state: 'running' }));
        await store.transition('old', 'succeeded');
        await store.create(newJob({ command_id: 'old-running', state: 'running' }));
        await store.create(newJob({ command_id: 'old-queued', expires_at: T0 + 100 * DAY }));
        clock().advance(20 * DAY);
        await store.create(newJob({ command_id: 'recent', state: 'running' }));
        await store.transition('recent', 'failed');
        clock().advance(15 * DAY);
        expect(await store.purge({ maxAgeMs: 30 * DAY })).toBe(1);
        expect(await store.get('old')).toBeUndefined();
        expect(await store.listEvents('old')).toEqual([]);
        const left = (await store.list({})).jobs.map((j) => j.command_id).sort();
        expect(left).toEqual(['old-queued', 'old-running', 'recent']);
        expect(await store.purge({ maxAgeMs: 30 * DAY })).toBe(0);
      });

      it('removes the oldest terminal jobs beyond maxCount and never a queued or running one', async () => {
        const store = await open();
        for (let i = 0; i < 6; i++) {
          clock().advance(1);
          await store.create(newJob({ command_id: `t${i}`, state: 'running' }));
          await store.transition(`t${i}`, 'succeeded');
        }
        clock().advance(1);
        await store.create(newJob({ command_id: 'live', state: 'running' }));
        expect(await store.purge({ maxCount: 4 })).toBe(3);
        expect((await store.list({})).jobs.map((j) => j.command_id)).toEqual(['live', 't5', 't4', 't3']);
        expect(await store.purge({ maxCount: 0 })).toBe(3);
        expect((await store.list({})).jobs.map((j) => j.command_id)).toEqual(['live']);
        expect(await store.purge({})).toBe(0);
      });

      it('rejects a negative limit naming it', async () => {
        const store = await open();
        expect(await caught(() => store.purge({ maxAgeMs: -1 }))).toMatchObject({
          code: 'CONFIG_INVALID',
          details: { field: 'maxAgeMs' },
        });
      });
    });
  });
}
