import type { ParamSlot } from './param-slots.js';

/**
 * Valid params for every built-in action that takes any: each hostile case changes exactly one
 * slot of these, so the value under test is the only thing wrong with the request. Paths point at
 * files the stack creates under `{{show}}`; ids are those seeded in the fake ShotGrid.
 */
export const BASELINES: Record<string, Record<string, unknown>> = {
  'explorer.open_folder': { path: '{{show}}/sh010/comp' },
  'explorer.reveal_file': { path: '{{show}}/sh010/comp/plate.exr' },
  'nuke.render_write': { script: '{{show}}/sh010/comp/comp.nk' },
  'nuke.open_script': { script: '{{show}}/sh010/comp/comp.nk' },
  'nuke.get_info': {},
  'resolve.add_to_media_pool': { files: ['{{show}}/sh010/comp/plate.exr'] },
  'resolve.create_timeline': {},
  'resolve.get_current_project': {},
  'rv.open_sources': { sources: ['{{show}}/sh010/comp/plate.exr'] },
  'rv.open_session': { session_file: '{{show}}/sh010/review/session.rv' },
  'shotgrid.publish_version': { project_id: 70, entity_id: 868, code: 'sh010_comp_v001' },
  'shotgrid.update_task_status': { task_id: 4567, status: 'ip' },
  'shotgrid.get_shot_info': { shot_id: 868 },
};

/** Params a slot needs around it to be reached at all (a shot code is looked up only within a project). */
const SLOT_CONTEXT: Record<string, (params: Record<string, unknown>) => Record<string, unknown>> = {
  'shotgrid.get_shot_info params.shot_code': ({ shot_id: _ignored, ...rest }) => ({
    ...rest,
    project_id: 70,
  }),
};

/** The files the stack creates under the allowed root, relative to it. */
export const SHOW_FILES = [
  'sh010/comp/plate.exr',
  'sh010/comp/comp.nk',
  'sh010/review/session.rv',
  'sh010/review/movie.mov',
  'sh010/review/thumb.jpg',
  'luts/show.cube',
  'luts/grade.cdl',
  'audio/sh010.wav',
];

/** Extensions of the secret files outside the root (one per pattern a path param may demand). */
export const OUTSIDE_EXTENSIONS = ['', '.nk', '.rv', '.exr'];

/**
 * The baseline of the action a slot belongs to, with that slot's context applied. An action with no
 * required params needs no entry in BASELINES: `{}` is valid for it.
 */
export function baselineFor(
  slot: Pick<ParamSlot, 'action' | 'field' | 'actionParams'>,
): Record<string, unknown> {
  const required = Array.isArray(slot.actionParams.required) ? slot.actionParams.required : [];
  const baseline = BASELINES[slot.action] ?? (required.length === 0 ? {} : undefined);
  if (!baseline)
    throw new Error(`no baseline params for ${slot.action}: add one to test/security/baselines.ts`);
  const context = SLOT_CONTEXT[`${slot.action} ${slot.field}`];
  return context ? context(structuredClone(baseline)) : structuredClone(baseline);
}

/** The extension a path slot's pattern demands (`\.[nN][kK]$` → `.nk`), or none. */
export function extensionFor(slot: Pick<ParamSlot, 'schema'>): string {
  const pattern = typeof slot.schema.pattern === 'string' ? slot.schema.pattern : '';
  const match = /^\\\.((?:\[[a-zA-Z]{2}\])+)\$$/.exec(pattern);
  if (!match) return pattern ? unsupported(pattern) : '';
  return `.${[...match[1]!.matchAll(/\[([a-z])[A-Z]\]/g)].map((m) => m[1]).join('')}`;
}

function unsupported(pattern: string): never {
  throw new Error(
    `extensionFor: cannot build a path for the pattern ${pattern}; teach test/security/baselines.ts`,
  );
}
