import { describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../src/jobs/index.js';
import { JobEventHub } from '../../src/jobs/store/job-event-hub.js';

const event = (seq: number): JobEvent => ({
  seq,
  job_id: 'job-1',
  at: '2026-12-06T12:00:00.000Z',
  type: 'state',
  data: { state: 'running' },
});

describe('JobEventHub', () => {
  it('delivers each event to every listener, in the order they subscribed', () => {
    const hub = new JobEventHub();
    const heard: string[] = [];
    hub.subscribe((e) => heard.push(`a${e.seq}`));
    hub.subscribe((e) => heard.push(`b${e.seq}`));
    hub.emit([event(1), event(2)]);
    hub.emitOne(event(3));
    expect(heard).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('a listener that unsubscribes, or subscribes another, during an event does not disturb that event', () => {
    const hub = new JobEventHub();
    const heard: string[] = [];
    const late = (e: JobEvent): void => void heard.push(`late${e.seq}`);
    let stopFirst = (): void => undefined;
    stopFirst = hub.subscribe((e) => {
      heard.push(`first${e.seq}`);
      stopFirst();
      hub.subscribe(late);
    });
    hub.subscribe((e) => heard.push(`second${e.seq}`));
    hub.emitOne(event(1));
    hub.emitOne(event(2));
    expect(heard).toEqual(['first1', 'second1', 'second2', 'late2']);
  });

  it('the same listener subscribed twice hears each event once, and one unsubscribe stops it', () => {
    const hub = new JobEventHub();
    const listener = vi.fn();
    const stop = hub.subscribe(listener);
    hub.subscribe(listener);
    hub.emitOne(event(1));
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    hub.emitOne(event(2));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a listener that throws does not keep the others from the event', () => {
    const hub = new JobEventHub();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const after = vi.fn();
      hub.subscribe(() => {
        throw new Error('broken stream');
      });
      hub.subscribe(after);
      hub.emitOne(event(1));
      expect(after).toHaveBeenCalledOnce();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('broken stream'), 'OpenClawJobStore');
    } finally {
      warn.mockRestore();
    }
  });

  it('clear() drops every listener', () => {
    const hub = new JobEventHub();
    const listener = vi.fn();
    hub.subscribe(listener);
    hub.clear();
    hub.emitOne(event(1));
    expect(listener).not.toHaveBeenCalled();
  });
});
