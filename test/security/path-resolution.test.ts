import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExecutor,
  createPathGuard,
  createRegistrySource,
  loadPluginCatalog,
  type Executor,
} from '@openclaw-node/agent';
import type { ExecAck } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';
import { baselineFor, extensionFor, OUTSIDE_EXTENSIONS, SHOW_FILES } from './baselines.js';
import { BATTERY_MANIFESTS, BATTERY_PLUGINS } from './catalog.js';
import { LINK_PREFIXES, LINK_TARGETS, materialize } from './hostile-values.js';
import { collectSlots, placeAt, type Step } from './param-slots.js';

/**
 * The path cross product of issue 11 through the agent's real executor, guard and every built-in
 * action's real params schema — missing or existing folder, `..`, symlink leading outside or inside,
 * file or folder, at every `format: "path"` slot (nested in arrays and objects included). The
 * handlers are replaced by ones that return the params they were given, so the test sees exactly
 * the path a handler would use; the outward half also runs end to end in path-params.test.ts.
 */

/** Set by the queue test: the next open_folder handler waits on it. */
let hold: Promise<void> | undefined;

/** Every built-in plugin with handlers that only report the params they got. */
const ECHO_PLUGINS: Record<string, PluginDefinition> = Object.fromEntries(
  BATTERY_PLUGINS.map((name) => {
    const plugin = builtinPlugins[name]!;
    const actions = Object.fromEntries(
      // Without the action's result schema: the echo answers with the params instead.
      Object.entries(plugin.actions).map(([actionName, { result: _result, ...action }]) => [
        actionName,
        {
          ...action,
          run: async (params: unknown) => {
            if (actionName === 'open_folder' && hold) await hold;
            return { params };
          },
        },
      ]),
    );
    return [name, { ...plugin, actions }];
  }),
);

let tmp: string;
let dirs: { show: string; outside: string };
let executor: Executor;
let counter = 0;

const exec = (action: string, params: Record<string, unknown>): Promise<ExecAck> =>
  executor.execute({
    jobId: `job-${++counter}`,
    action,
    params: materialize(params, dirs),
    timeoutMs: 10_000,
  });

const valueAt = (value: unknown, steps: readonly Step[]): unknown =>
  steps.reduce<unknown>(
    (v, step) => (v as Record<string | number, unknown>)['key' in step ? step.key : step.index],
    value,
  );

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'openclaw-path-resolution-')));
  dirs = { show: path.join(tmp, 'show'), outside: path.join(tmp, 'outside') };
  for (const file of SHOW_FILES) {
    await mkdir(path.dirname(path.join(dirs.show, file)), { recursive: true });
    await writeFile(path.join(dirs.show, file), 'media\n');
  }
  await mkdir(path.join(dirs.outside, 'secret'), { recursive: true });
  await mkdir(path.join(dirs.show, 'shots', 'sh020'), { recursive: true });
  await writeFile(path.join(dirs.show, 'shots', 'sh020', 'comp.nk'), 'inside\n');
  await mkdir(path.join(dirs.outside, 'sh020'), { recursive: true });
  await writeFile(path.join(dirs.outside, 'sh020', 'comp.nk'), 'secret\n');
  const comp = path.join(dirs.show, 'sh010', 'comp');
  await symlink(dirs.outside, path.join(dirs.show, 'escape'));
  await symlink(comp, path.join(dirs.show, 'inward'));
  for (const ext of OUTSIDE_EXTENSIONS) {
    if (ext) await writeFile(path.join(dirs.outside, `secret${ext}`), 'secret\n');
    await writeFile(path.join(comp, `plate${ext}`), 'media\n');
    await symlink(path.join(dirs.outside, `secret${ext}`), path.join(dirs.show, `link-out${ext}`));
    await symlink(path.join(comp, `plate${ext}`), path.join(dirs.show, `link-in${ext}`));
    await symlink(path.join(dirs.outside, 'secret'), path.join(dirs.show, `escape-dir${ext}`));
    await symlink(comp, path.join(dirs.show, `in-dir${ext}`));
  }
  const logger = pino({ level: 'silent' });
  const catalog = await loadPluginCatalog({
    entries: BATTERY_PLUGINS,
    sources: [createRegistrySource(ECHO_PLUGINS)],
    platform: 'linux',
    logger,
  });
  expect(catalog.skipped).toEqual([]);
  executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [dirs.show], platform: 'linux' }),
    pluginConfig: {},
    platform: 'linux',
    logger,
    emitProgress: () => undefined,
    limits: { maxConcurrentJobs: 1, maxQueuedJobs: 4 },
  });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Where an inward link case must land, as a real path. */
function expectedInside(target: string, ext: string): string {
  const comp = path.join(dirs.show, 'sh010', 'comp');
  switch (target) {
    case 'dir-link':
      return comp;
    case 'new-file-in-dir-link':
      return path.join(comp, `new${ext}`);
    default:
      return path.join(comp, `plate${ext}`);
  }
}

const PATH_SLOTS = collectSlots(BATTERY_MANIFESTS).filter((slot) => slot.stringKind === 'path');

describe('every path slot of every built-in action: .. and symlinks resolved one component at a time', () => {
  it('covers every path slot of every built-in plugin, nested ones included', () => {
    expect(PATH_SLOTS.length).toBeGreaterThanOrEqual(18);
    expect(PATH_SLOTS.some((slot) => slot.steps.length >= 3)).toBe(true);
  });

  it.each(PATH_SLOTS.map((slot) => [`${slot.action} ${slot.field}`, slot] as const))(
    '%s: links leading outside are refused, links leading inside reach the handler as real paths',
    async (_name, slot) => {
      const ext = extensionFor(slot);
      const wrong: string[] = [];
      for (const [prefixLabel, prefix] of LINK_PREFIXES) {
        for (const [targetLabel, build] of LINK_TARGETS) {
          const label = `${prefixLabel} ${targetLabel}`;
          const outward = await exec(
            slot.action,
            placeAt(baselineFor(slot), slot.steps, `${prefix}/${build(ext, 'out')}`),
          );
          if (outward.ok || outward.error.code !== 'PATH_NOT_ALLOWED') {
            wrong.push(`out ${label}: ${JSON.stringify(outward).slice(0, 300)}`);
          } else if (outward.error.details?.field !== slot.field) {
            wrong.push(`out ${label}: names ${String(outward.error.details?.field)}`);
          }
          const inward = await exec(
            slot.action,
            placeAt(baselineFor(slot), slot.steps, `${prefix}/${build(ext, 'in')}`),
          );
          const got = inward.ok
            ? valueAt((inward.result as { params: unknown }).params, slot.steps)
            : inward.error;
          if (got !== expectedInside(targetLabel, ext)) {
            wrong.push(`in ${label}: handler got ${JSON.stringify(got).slice(0, 300)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    },
  );
});

describe('a queued job: its paths are checked again when it starts', () => {
  const script = () => path.join(dirs.show, 'shots', 'sh020', 'comp.nk');
  const shots = () => path.join(dirs.show, 'shots');

  /** Queue render_write behind a held job, run `meanwhile` while it waits, then let it start. */
  async function queuedRender(meanwhile: () => Promise<void>): Promise<ExecAck> {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const blocker = exec('explorer.open_folder', { path: '{{show}}/sh010' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.running).toBe(1);
    const queued = exec('nuke.render_write', { script: script() });
    while (executor.queued === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await meanwhile();
    hold = undefined;
    release();
    expect((await blocker).ok).toBe(true);
    return queued;
  }

  it('refuses it when a parent folder was replaced by a symlink out of allowed_paths while it waited', async () => {
    const ack = await queuedRender(async () => {
      await rename(shots(), `${shots()}-moved`);
      await symlink(dirs.outside, shots());
    });
    try {
      expect(ack.ok).toBe(false);
      if (!ack.ok) {
        expect(ack.error.code).toBe('PATH_NOT_ALLOWED');
        expect(ack.error.details).toMatchObject({
          field: 'params.script',
          resolved: path.join(dirs.outside, 'sh020', 'comp.nk'),
        });
      }
    } finally {
      await rm(shots());
      await rename(`${shots()}-moved`, shots());
    }
  });

  it('hands the handler the path as resolved when it starts, not when it arrived', async () => {
    const moved = path.join(dirs.show, 'elsewhere');
    const ack = await queuedRender(async () => {
      await rename(shots(), moved);
      await symlink(moved, shots());
    });
    try {
      expect(ack).toMatchObject({
        ok: true,
        result: { params: { script: path.join(moved, 'sh020', 'comp.nk') } },
      });
    } finally {
      await rm(shots());
      await rename(moved, shots());
    }
  });
});
