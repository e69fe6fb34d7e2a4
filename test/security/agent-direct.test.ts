import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATTERY_MANIFESTS } from './catalog.js';
import {
  numberEdgeCases,
  pathCases,
  shapeCases,
  stringCases,
  wrongTypeCases,
  type Refusal,
  type RefusalCase,
} from './cases.js';
import { startDirectLink, type DirectLink } from './direct-link.js';
import { assertAckRefused, describeActivity } from './expect-refusal.js';
import { createLanes, laneOf, laneTable } from './lanes.js';

/**
 * The same tables sent straight to the agent over Socket.IO, past no server-side validation: the
 * agent is the last line before a process starts, so it must refuse every one of them on its own.
 */
let link: DirectLink;
const lanes = createLanes();
let jobs = 0;

beforeAll(async () => {
  link = await startDirectLink();
}, 30_000);
afterAll(async () => {
  await link?.stop();
});

/** The params a case sends: its raw JSON (own `__proto__` keys, `1e400`) parsed as the agent's socket would. */
function paramsOf(kase: RefusalCase): { action: string; params: unknown } {
  const body =
    kase.raw === undefined ? link.edges.fill(kase.body) : (JSON.parse(link.edges.fill(kase.raw)) as unknown);
  return body as { action: string; params: unknown };
}

async function expectAgentRefusal(
  request: () => Record<string, unknown>,
  plugin: string,
  expected: Refusal,
): Promise<void> {
  const [ack, activity] = await lanes(plugin, async () => {
    const since = link.edges.mark(plugin);
    const answer = await link.exec(request());
    return [answer, await since()] as const;
  });
  assertAckRefused(ack, activity, expected);
}

const execOf = (action: string, params: unknown) => ({
  jobId: `battery-${(jobs += 1)}`,
  action,
  params,
  timeoutMs: 30_000,
});

const paramCases = [
  ...stringCases(BATTERY_MANIFESTS),
  ...pathCases(BATTERY_MANIFESTS),
  ...wrongTypeCases(BATTERY_MANIFESTS),
  ...numberEdgeCases(BATTERY_MANIFESTS),
  ...shapeCases(BATTERY_MANIFESTS),
];

describe.concurrent('hostile params sent straight to the agent', () => {
  it.each(laneTable(paramCases))('refuses %s', async (_name, kase) => {
    const plugin = laneOf((kase.body as { action: string }).action);
    await expectAgentRefusal(
      () => {
        const { action, params } = paramsOf(kase);
        return execOf(action, params);
      },
      plugin,
      kase.expect,
    );
  });
});

const valid = () => execOf('explorer.open_folder', link.edges.fill({ path: '{{show}}/sh010/comp' }));
const invalidBody = (field: string): Refusal => ({ codes: ['INVALID_BODY'], field });

const protocolCases: [string, () => unknown, Refusal][] = [
  ['payload null', () => null, invalidBody('payload')],
  ['payload string', () => 'explorer.open_folder', invalidBody('payload')],
  ['payload array', () => [valid()], invalidBody('payload')],
  ['jobId missing', () => ({ ...valid(), jobId: undefined }), invalidBody('jobId')],
  ['jobId number', () => ({ ...valid(), jobId: 42 }), invalidBody('jobId')],
  ['jobId empty', () => ({ ...valid(), jobId: '' }), invalidBody('jobId')],
  ['jobId with space', () => ({ ...valid(), jobId: 'a b' }), invalidBody('jobId')],
  ['jobId with newline', () => ({ ...valid(), jobId: 'a\nb' }), invalidBody('jobId')],
  ['jobId with NUL', () => ({ ...valid(), jobId: 'a\u0000' }), invalidBody('jobId')],
  ['jobId of 129 chars', () => ({ ...valid(), jobId: 'j'.repeat(129) }), invalidBody('jobId')],
  ['action number', () => ({ ...valid(), action: 42 }), invalidBody('action')],
  ['action empty', () => ({ ...valid(), action: '' }), invalidBody('action')],
  [
    'action of 201 chars',
    () => ({ ...valid(), action: `explorer.${'a'.repeat(192)}` }),
    invalidBody('action'),
  ],
  [
    'action injection',
    () => ({ ...valid(), action: 'explorer.open_folder; rm -rf ~' }),
    { codes: ['INVALID_ACTION_ID'], field: 'action' },
  ],
  [
    'action prototype name',
    () => ({ ...valid(), action: 'explorer.constructor' }),
    { codes: ['ACTION_NOT_FOUND'], field: 'action' },
  ],
  [
    'action unknown plugin',
    () => ({ ...valid(), action: 'constructor.ping' }),
    { codes: ['PLUGIN_NOT_FOUND'], field: 'action' },
  ],
  ['params string', () => ({ ...valid(), params: '{"path":"/"}' }), invalidBody('params')],
  ['params array', () => ({ ...valid(), params: ['/'] }), invalidBody('params')],
  ['timeoutMs missing', () => ({ ...valid(), timeoutMs: undefined }), invalidBody('timeoutMs')],
  ['timeoutMs negative', () => ({ ...valid(), timeoutMs: -1 }), invalidBody('timeoutMs')],
  ['timeoutMs zero', () => ({ ...valid(), timeoutMs: 0 }), invalidBody('timeoutMs')],
  ['timeoutMs string', () => ({ ...valid(), timeoutMs: '30000' }), invalidBody('timeoutMs')],
  [
    'timeoutMs over 7 days',
    () => ({ ...valid(), timeoutMs: 8 * 24 * 3600 * 1000 }),
    invalidBody('timeoutMs'),
  ],
];

describe('hostile exec payloads sent straight to the agent', () => {
  it.each(protocolCases)('refuses %s', async (_name, request, expected) => {
    await expectAgentRefusal(() => request() as Record<string, unknown>, 'explorer', expected);
  });

  it('ignores an exec sent without an ack callback, starting nothing', async () => {
    const since = link.edges.mark();
    link.fire(valid());
    // The agent drops it at once; a ping answered afterwards proves the drop was processed first.
    const ping = await link.exec(execOf('explorer.ping', {}));
    expect(ping).toMatchObject({ ok: true });
    const activity = await since();
    expect(activity.spawns.length + activity.processes.length, describeActivity(activity)).toBe(0);
  });
});

it('stays connected after the battery and runs a ping', async () => {
  expect(link.connected()).toBe(true);
  expect(await link.exec(execOf('explorer.ping', {}))).toMatchObject({ ok: true, result: { ok: true } });
});

it('started no process and sent nothing to ShotGrid over the whole battery', async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const activity = await link.edges.activity();
  expect(
    activity.spawns.length + activity.processes.length + activity.sgRequests.length,
    describeActivity(activity),
  ).toBe(0);
});
