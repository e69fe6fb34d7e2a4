import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecAck } from '@openclaw-node/core';
import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import {
  createExecutor,
  createPathGuard,
  createRegistrySource,
  loadPluginCatalog,
  type Executor,
} from '../../src/index.js';

// The SDK's test harness must answer a cancelled or timed-out action as the agent does, for an
// action written the way docs/plugins.md says: ctx.signal passed to node:timers/promises.

const plugin = definePlugin({
  name: 'waiter',
  version: '1.0.0',
  description: 'Waits, as docs/plugins.md advises',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    wait: defineAction({
      description: 'Wait for ms milliseconds, stopping when the job is cancelled or times out',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['ms'],
        properties: { ms: { type: 'integer', minimum: 0, description: 'How long' } },
      },
      run: async ({ ms }, ctx) => {
        await sleep(ms, undefined, { signal: ctx.signal });
        return { waited: ms };
      },
    }),
  },
});

let executor: Executor;
let counter = 0;

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  const catalog = await loadPluginCatalog({
    entries: ['waiter'],
    sources: [createRegistrySource({ waiter: plugin })],
    platform: 'linux',
    logger,
  });
  executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [], platform: 'linux' }),
    pluginConfig: {},
    platform: 'linux',
    logger,
    emitProgress: () => undefined,
    abortGraceMs: 50,
  });
});

const codeOf = (ack: ExecAck): string => (ack.ok ? 'ok' : ack.error.code);

describe('runAction (plugin-sdk/testing) and the agent agree', () => {
  it('answers TIMEOUT for an action that outlives its timeout', async () => {
    const agent = await executor.execute({
      jobId: `job-${++counter}`,
      action: 'waiter.wait',
      params: { ms: 10_000 },
      timeoutMs: 50,
    });
    const harness = await runAction(plugin, 'wait', { params: { ms: 10_000 }, timeoutMs: 50 });
    expect(codeOf(agent)).toBe('TIMEOUT');
    expect(harness.error).toMatchObject({ code: 'TIMEOUT', details: { timeoutMs: 50 } });
    expect(harness.error?.message).toBe('waiter.wait did not finish within 50 ms');
    expect(harness.result).toBeUndefined();
  });

  it('answers CANCELLED for an action cancelled while it runs', async () => {
    const jobId = `job-${++counter}`;
    const pending = executor.execute({
      jobId,
      action: 'waiter.wait',
      params: { ms: 10_000 },
      timeoutMs: 60_000,
    });
    await sleep(30);
    expect(executor.cancel(jobId)).toBe(true);
    const cancel = new AbortController();
    const harnessRun = runAction(plugin, 'wait', { params: { ms: 10_000 }, signal: cancel.signal });
    await sleep(30);
    cancel.abort();
    const [agent, harness] = await Promise.all([pending, harnessRun]);
    expect(agent).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'the job was cancelled' } });
    expect(harness.error).toMatchObject({ code: 'CANCELLED', message: 'the job was cancelled' });
  });

  it('still returns the result of an action that finishes in time', async () => {
    const harness = await runAction(plugin, 'wait', { params: { ms: 1 }, timeoutMs: 5000 });
    expect(harness).toMatchObject({ result: { waited: 1 }, error: undefined });
  });
});
