// Without servers (told-start-catch-up.test.ts has them): after a reconnect, RedisEventFeed delivers a
// job's first event from the stream, which keeps the event alone; the line that came after it over
// pub/sub (a hand-over, an ended row) must not be lost with the pub/sub copy it drops.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { JobEventHub } from '../../src/jobs/store/job-event-hub.js';
import { RedisEventFeed } from '../../src/jobs/store/redis/redis-event-feed.js';
import { handoverOf } from '../../src/jobs/store/redis/redis-handovers.js';
import type { JobEvent } from '../../src/jobs/job-model.js';

describe('RedisEventFeed catch-up', () => {
  it('keeps the hand-over of an event that came over pub/sub while the stream was read', async () => {
    const ev = JSON.stringify({
      seq: 1,
      job_id: 'j1',
      type: 'state',
      at: '2026-01-01T00:00:00.000Z',
      data: { state: 'running' },
    });
    const tell = '{"t":"tell","from":"proc-b","to":"proc-a","method":"start","args":{}}';
    const subscriber = Object.assign(new EventEmitter(), { subscribe: async () => 1 });
    const read: { then?: () => void } = {};
    const client = {
      xrevrange: async () => [['5-0', ['e', '{}', 'w', 'w0']]],
      // The catch-up read: the create's message arrives on the (re-subscribed) subscriber first.
      xrange: async () => {
        read.then?.();
        return [['6-0', ['e', ev, 'w', 'w1']]];
      },
      call: async () => [],
    };
    const hub = new JobEventHub();
    const seen: JobEvent[] = [];
    hub.subscribe((e) => seen.push(e));
    const feed = new RedisEventFeed({
      client: client as never,
      subscriber: subscriber as never,
      channel: 'events',
      stream: 'events:log',
      hub,
      display: 'test',
    });
    await feed.start();
    read.then = () => subscriber.emit('message', 'events', `6-0\nw1\n${ev}\n>proc-a ${tell}`);
    subscriber.emit('ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
    feed.stop();
    expect(seen.map((e) => e.job_id)).toEqual(['j1']);
    expect(handoverOf(seen[0]!)).toEqual({ to: 'proc-a', message: tell });
  });
});
