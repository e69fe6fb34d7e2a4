import { mkdir, mkdtemp, readFile, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecAck } from '@openclaw-node/core';
import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
import {
  createExecutor,
  createPathGuard,
  createRegistrySource,
  loadPluginCatalog,
  type Executor,
} from '../../src/index.js';

/** Runs between the guard's check and the handler's use of its params: the attacker's window. */
let beforeUse: (() => Promise<void>) | undefined;

const filesPlugin = definePlugin({
  name: 'files',
  version: '1.0.0',
  description: 'Reads and names files, to see which paths handlers get',
  platforms: ['linux', 'darwin', 'windows'],
  actions: {
    read: defineAction({
      description: 'Read a file',
      params: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: { path: { type: 'string', format: 'path' } },
      },
      async run(params) {
        await beforeUse?.();
        return { path: params.path, content: await readFile(params.path, 'utf8') };
      },
    }),
    echo: defineAction({
      description: 'Return the params as the handler got them',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: {
          output: { type: 'string', format: 'path' },
          label: { type: 'string' },
          sources: {
            type: 'array',
            items: {
              anyOf: [
                { type: 'string', format: 'path' },
                {
                  type: 'object',
                  required: ['path'],
                  additionalProperties: false,
                  properties: { path: { type: 'string', format: 'path' }, label: { type: 'string' } },
                },
              ],
            },
          },
        },
      },
      run: (params) => params,
    }),
  },
});

let tmp: string;
let root: string;
let outside: string;
let executor: Executor;
let counter = 0;

async function exec(action: string, params: Record<string, unknown>): Promise<unknown> {
  const ack: ExecAck = await executor.execute({
    jobId: `job-${++counter}`,
    action: `files.${action}`,
    params,
    timeoutMs: 10_000,
  });
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-resolved-')));
  root = path.join(tmp, 'show');
  outside = path.join(tmp, 'elsewhere');
  await mkdir(path.join(root, 'renders'), { recursive: true });
  await mkdir(path.join(root, 'sh010'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, 'inside.txt'), 'inside');
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  await symlink(path.join(root, 'renders'), path.join(root, 'out-link'));
  // allowed_paths names a symlink to the show: the real root is what handlers see.
  await symlink(root, path.join(tmp, 'show-link'));
  const logger = pino({ level: 'silent' });
  const catalog = await loadPluginCatalog({
    entries: ['files'],
    sources: [createRegistrySource({ files: filesPlugin })],
    platform: 'linux',
    logger,
  });
  executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [path.join(tmp, 'show-link')], platform: 'linux' }),
    pluginConfig: {},
    platform: 'linux',
    logger,
    emitProgress: () => undefined,
  });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('executor: handlers get the real paths the guard approved', () => {
  it('hands over the target of a symlink, not the link', async () => {
    const link = path.join(root, 'link.txt');
    await symlink(path.join(root, 'inside.txt'), link);
    try {
      expect(await exec('read', { path: link })).toEqual({
        path: path.join(root, 'inside.txt'),
        content: 'inside',
      });
      expect(await exec('read', { path: path.join(tmp, 'show-link', 'inside.txt') })).toMatchObject({
        path: path.join(root, 'inside.txt'),
      });
    } finally {
      await unlink(link);
    }
  });

  it('keeps a symlink swapped after the check from leading the handler outside allowed_paths', async () => {
    const link = path.join(root, 'swapped.txt');
    await symlink(path.join(root, 'inside.txt'), link);
    let sentPathNow: string | undefined;
    beforeUse = async () => {
      await unlink(link);
      await symlink(path.join(outside, 'secret.txt'), link);
      sentPathNow = await readFile(link, 'utf8');
    };
    try {
      expect(await exec('read', { path: link })).toEqual({
        path: path.join(root, 'inside.txt'),
        content: 'inside',
      });
      // The swap did happen: the path as sent led outside by the time the handler ran.
      expect(sentPathNow).toBe('secret');
    } finally {
      beforeUse = undefined;
      await unlink(link);
    }
  });

  it('resolves the existing parent of an output that does not exist yet and keeps the rest', async () => {
    expect(await exec('echo', { output: path.join(root, 'out-link', 'v002', 'sh010.exr') })).toEqual({
      output: path.join(root, 'renders', 'v002', 'sh010.exr'),
    });
  });

  it('replaces every path in arrays and unions, and leaves other strings as sent', async () => {
    const viaDots = path.join(root, 'sh010', '..', 'inside.txt');
    expect(
      await exec('echo', {
        label: '/show-link/../not/a/path',
        sources: [viaDots, { path: path.join(root, 'out-link'), label: 'renders/../x' }],
      }),
    ).toEqual({
      label: '/show-link/../not/a/path',
      sources: [path.join(root, 'inside.txt'), { path: path.join(root, 'renders'), label: 'renders/../x' }],
    });
  });
});
