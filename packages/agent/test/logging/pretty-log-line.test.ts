import { describe, expect, it } from 'vitest';
import { formatLogLine, levelNumber, parseLogRecord } from '../../src/index.js';

const at = new Date(2025, 10, 25, 14, 2, 7, 120).getTime();

describe('formatLogLine', () => {
  it('shows time, level, message and the other fields, hiding pid, hostname, name and nodeId', () => {
    const line = JSON.stringify({
      level: 40,
      time: at,
      pid: 4242,
      hostname: 'ws-042',
      name: 'openclaw-agent',
      nodeId: 'ws-042',
      msg: 'reconnecting in 2.0 s',
      delayMs: 2000,
      server: 'http://pipeline:8765/ws',
      reason: 'transport close',
      plugins: ['rv', 'nuke'],
    });
    expect(formatLogLine(line)).toBe(
      '14:02:07.120 WARN  reconnecting in 2.0 s delayMs=2000 server=http://pipeline:8765/ws reason="transport close" plugins=["rv","nuke"]',
    );
    expect(formatLogLine(line, { date: true })).toMatch(/^2025-11-25 14:02:07\.120 WARN {2}reconnecting/);
  });

  it('colours the level only when asked', () => {
    const line = JSON.stringify({ level: 50, time: at, msg: 'agent gave up' });
    expect(formatLogLine(line, { colors: true })).toContain('\u001b[31mERROR\u001b[39m');
    expect(formatLogLine(line)).not.toContain('\u001b[');
  });

  it('indents an error stack under its line', () => {
    const line = JSON.stringify({
      level: 50,
      time: at,
      msg: 'could not ack',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at run (executor.ts:1:1)' },
    });
    expect(formatLogLine(line).split('\n')).toEqual([
      '14:02:07.120 ERROR could not ack',
      '    Error: boom',
      '        at run (executor.ts:1:1)',
    ]);
  });

  it('passes a line that is not a log record through unchanged', () => {
    expect(formatLogLine('node:internal/process: uncaught')).toBe('node:internal/process: uncaught');
    expect(parseLogRecord('{not json')).toBeNull();
    expect(parseLogRecord('[1,2]')).toBeNull();
  });
});

describe('levelNumber', () => {
  it('maps level names to pino numbers', () => {
    expect(levelNumber('warn')).toBe(40);
    expect(levelNumber(' Error ')).toBe(50);
    expect(levelNumber('verbose')).toBeUndefined();
  });
});
