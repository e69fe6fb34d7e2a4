import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runAction, type TestRunOptions } from '@openclaw-node/plugin-sdk/testing';
import { clearTokenCache, shotgridPlugin } from '../../src/shotgrid/index.js';
import { FakeShotgrid, type FakeShotgridOptions } from '@openclaw-node/test-support/shotgrid';

export interface World {
  site: FakeShotgrid;
  dir: string;
  /** Run an action against the fake site with a config pointing at it. */
  run(
    action: string,
    params?: unknown,
    config?: Record<string, unknown>,
    options?: TestRunOptions,
  ): ReturnType<typeof runAction>;
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  file(name: string, content: string | Buffer): string;
  /** Seed a project with a sequence, two shots, tasks and a user. */
  seed(): Seeded;
}

export interface Seeded {
  project: number;
  sequence: number;
  shot: number;
  otherShot: number;
  task: number;
  user: number;
}

/** A fresh fake ShotGrid site per test, with the token cache cleared. */
export function useFakeShotgrid(options: FakeShotgridOptions = {}): World {
  const world = {} as World;
  beforeEach(async () => {
    clearTokenCache();
    const site = await new FakeShotgrid(options).start();
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-sg-'));
    Object.assign(world, {
      site,
      dir,
      config: (extra = {}) => ({
        site: site.url,
        script_name: site.options.scriptName,
        script_key: site.options.scriptKey,
        retry_base_delay_ms: 1,
        ...extra,
      }),
      run: (
        action: string,
        params: unknown = {},
        config: Record<string, unknown> = {},
        extra: TestRunOptions = {},
      ) =>
        runAction(shotgridPlugin, action, {
          params,
          platform: 'linux',
          config: world.config(config),
          ...extra,
        }),
      file: (name: string, content: string | Buffer) => {
        const file = path.join(dir, name);
        writeFileSync(file, content);
        return file;
      },
      seed: () => seed(site),
    });
  });
  afterEach(async () => {
    await world.site.stop();
    rmSync(world.dir, { recursive: true, force: true });
  });
  return world;
}

function seed(site: FakeShotgrid): Seeded {
  const store = site.store;
  const project = store.add('Project', { name: 'Demo Show' }, 70).id;
  const projectLink = { type: 'Project', id: project };
  const sequence = store.add('Sequence', { code: 'seq01', project: projectLink }, 23).id;
  const shot = store.add(
    'Shot',
    {
      code: 'sh010',
      sg_status_list: 'ip',
      description: 'Hero shot',
      sg_cut_in: 1001,
      sg_cut_out: 1100,
      sg_head_in: 993,
      sg_tail_out: 1108,
      project: projectLink,
      sg_sequence: { type: 'Sequence', id: sequence },
    },
    868,
  ).id;
  const otherShot = store.add('Shot', { code: 'sh020', sg_status_list: 'wtg', project: projectLink }, 869).id;
  const user = store.add('HumanUser', { name: 'Ada Artist', login: 'ada' }, 42).id;
  const step = store.add('Step', { code: 'Comp' }, 8).id;
  const task = store.add(
    'Task',
    {
      content: 'comp',
      sg_status_list: 'rdy',
      project: projectLink,
      entity: { type: 'Shot', id: shot },
      step: { type: 'Step', id: step },
    },
    4567,
  ).id;
  return { project, sequence, shot, otherShot, task, user };
}
