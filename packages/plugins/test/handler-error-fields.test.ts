import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOpenClawError, type PluginDefinition } from '@openclaw-node/plugin-sdk';
import { createRecordingContext, type ActionRecording } from '@openclaw-node/plugin-sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'openclaw-error-fields-'));
const missing = path.join(dir, 'missing');
const file = path.join(dir, 'plate.exr');
writeFileSync(file, 'not really an image');
const script = path.join(dir, 'comp.nk');
writeFileSync(script, '# not really a Nuke script\n');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHOTGRID_CONFIG = {
  site: 'https://studio.shotgrid.autodesk.com',
  script_name: 'openclaw',
  script_key: 'k',
};

interface Case {
  plugin: keyof typeof builtinPlugins;
  action: string;
  params: Record<string, unknown>;
  field: string;
  config?: Record<string, unknown>;
}

/**
 * Errors the handlers themselves raise about their params. The handlers are called directly, past the
 * schema, the way a direct caller would reach their re-checks; none of these gets as far as an application.
 */
const CASES: Case[] = [
  { plugin: 'explorer', action: 'open_folder', params: { path: missing }, field: 'params.path' },
  {
    plugin: 'explorer',
    action: 'open_folder',
    params: { path: file, if_file: 'error' },
    field: 'params.path',
  },
  { plugin: 'explorer', action: 'reveal_file', params: { path: missing }, field: 'params.path' },
  { plugin: 'rv', action: 'open_session', params: { session_file: missing }, field: 'params.session_file' },
  { plugin: 'rv', action: 'open_sources', params: { sources: [file, missing] }, field: 'params.sources[1]' },
  {
    plugin: 'rv',
    action: 'open_sources',
    params: { sources: [file], compare: 'wipe' },
    field: 'params.compare',
  },
  {
    plugin: 'nuke',
    action: 'render_write',
    params: { script, write_node: 'Write1\nx' },
    field: 'params.write_node',
  },
  {
    plugin: 'nuke',
    action: 'render_write',
    params: { script, frame_range: '10-1' },
    field: 'params.frame_range',
  },
  { plugin: 'nuke', action: 'render_write', params: { script: missing }, field: 'params.script' },
  { plugin: 'nuke', action: 'open_script', params: { script: missing }, field: 'params.script' },
  {
    plugin: 'resolve',
    action: 'add_to_media_pool',
    params: { files: [file, missing] },
    field: 'params.files[1]',
  },
  {
    plugin: 'resolve',
    action: 'add_to_media_pool',
    params: { files: [dir] },
    field: 'params.files[0]',
  },
  {
    plugin: 'resolve',
    action: 'add_to_media_pool',
    params: { files: [file], bin: 'a//b' },
    field: 'params.bin',
  },
  { plugin: 'resolve', action: 'create_timeline', params: { name: 'cut\u0007' }, field: 'params.name' },
  {
    plugin: 'resolve',
    action: 'create_timeline',
    params: { name: 'cut', clips: ['a.mov', ' '] },
    field: 'params.clips[1]',
  },
  ...shotgrid([
    [
      'publish_version',
      { project_id: 1, entity_id: 2, code: 'v1', entity_type: 'shot; drop' },
      'params.entity_type',
    ],
    ['publish_version', { project_id: 1, entity_id: 2, code: 'v1\n' }, 'params.code'],
    ['publish_version', { project_id: 1, entity_id: 2, code: 'v1', status: 'a b' }, 'params.status'],
    [
      'publish_version',
      { project_id: 1, entity_id: 2, code: 'v1', description: 'one\u0000two' },
      'params.description',
    ],
    [
      'publish_version',
      { project_id: 1, entity_id: 2, code: 'v1', upload_movie: true },
      'params.path_to_movie',
    ],
    [
      'publish_version',
      { project_id: 1, entity_id: 2, code: 'v1', upload_movie: true, path_to_movie: missing },
      'params.path_to_movie',
    ],
    ['publish_version', { project_id: 1, entity_id: 2, code: 'v1', thumbnail: dir }, 'params.thumbnail'],
    [
      'publish_version',
      { project_id: 1, entity_id: 2, code: 'v1', first_frame: 1100, last_frame: 1001 },
      'params.last_frame',
    ],
    ['update_task_status', { task_id: 1, status: 'ip; drop' }, 'params.status'],
    ['get_shot_info', {}, 'params.shot_code'],
    ['get_shot_info', { shot_code: 'sh010' }, 'params.project_id'],
    ['get_shot_info', { shot_code: 'sh\u0001', project_id: 1 }, 'params.shot_code'],
    ['get_shot_info', { shot_id: 1, fields: ['code', 'code;drop'] }, 'params.fields[1]'],
  ]),
];

function shotgrid(rows: [string, Record<string, unknown>, string][]): Case[] {
  return rows.map(([action, params, field]) => ({
    plugin: 'shotgrid',
    action,
    params,
    field,
    config: SHOTGRID_CONFIG,
  }));
}

/** Run a handler past its schema; what it threw, or undefined when it returned. */
async function handlerError(plugin: PluginDefinition, test: Case): Promise<unknown> {
  const action = plugin.actions[test.action];
  if (!action) throw new Error(`${plugin.name} has no action ${test.action}`);
  const recording: ActionRecording = {
    result: undefined,
    error: undefined,
    progress: [],
    logs: [],
    runs: [],
    launches: [],
    whichCalls: [],
  };
  const ctx = createRecordingContext(new AbortController().signal, recording, {
    platform: 'linux',
    config: test.config ?? {},
    // Nothing may reach a real application or the network: every case fails before that.
    onRun: (call) => {
      throw new Error(`unexpected run of ${call.file}`);
    },
    onLaunch: (call) => {
      throw new Error(`unexpected launch of ${call.file}`);
    },
  });
  try {
    await action.run(test.params as never, ctx);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('handler errors of the built-in plugins', () => {
  it('covers all five plugins', () => {
    expect(new Set(CASES.map((c) => c.plugin))).toEqual(new Set(Object.keys(builtinPlugins)));
  });

  it.each(CASES.map((c) => [`${c.plugin}.${c.action} ${c.field}`, c] as const))(
    '%s: details.field is the full path of the param',
    async (_name, test) => {
      const error = await handlerError(builtinPlugins[test.plugin]!, test);
      expect(isOpenClawError(error), String(error)).toBe(true);
      if (!isOpenClawError(error)) return;
      expect(error.details?.field).toBe(test.field);
      // The message names the same path, so a person reading only the message finds the field.
      expect(error.message).toContain(test.field);
    },
  );
});
