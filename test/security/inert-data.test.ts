import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATTERY_MANIFESTS } from './catalog.js';
import { pathDataCases, textDataCases, type DataCase } from './cases.js';
import { expectServing, useHostileStack } from './battery.js';
import { assertRefused, describeActivity, describeAnswer } from './expect-refusal.js';
import { createLanes, laneOf, laneTable } from './lanes.js';
import { collectSlots } from './param-slots.js';
import type { ApiAnswer, EdgeActivity, HostileStack } from './stack.js';

const stack = useHostileStack();
const lanes = createLanes();

/**
 * Where a free-text value lands. Names, codes and descriptions may legitimately hold `; rm -rf ~`,
 * `-e` or `$(id)`: they are data, so the battery checks that they arrive verbatim as data (a JSON
 * string on the bridge's stdin, a JSON field sent to ShotGrid) and never in an argument list.
 */
interface Delivery {
  /** The HTTP answer when the value is accepted. */
  status: number;
  code?: string;
  /** A value the plugin's own re-check refuses (400, nothing started) although the schema took it. */
  refusedByPlugin?: (value: string) => boolean;
  check(activity: EdgeActivity, value: string, stack: HostileStack): void;
}

const bridgeArg =
  (read: (args: Record<string, unknown>) => unknown): Delivery['check'] =>
  (activity, value, s) => {
    expect(activity.sgRequests, describeActivity(activity)).toEqual([]);
    expect(activity.spawns, describeActivity(activity)).toHaveLength(1);
    const [spawn] = activity.spawns;
    expect(spawn).toMatchObject({ via: 'run', file: path.join(s.dirs.bin, 'python3') });
    expect(spawn!.args).toEqual(['-B', expect.stringMatching(/resolve_bridge\.py$/)]);
    const command = JSON.parse(spawn!.input ?? '{}') as { args: Record<string, unknown> };
    expect(read(command.args)).toBe(value);
    // The fake saw the same: fixed argv, the value only inside the JSON on its stdin.
    const started = activity.processes.filter((p) => p.tool === 'python3');
    expect(started, describeActivity(activity)).toHaveLength(1);
    expect(started[0]!.argv).toEqual(spawn!.args);
    expect(read((JSON.parse(started[0]!.stdin) as { args: Record<string, unknown> }).args)).toBe(value);
  };

const sgBody =
  (method: string, route: string, read: (body: Record<string, unknown>) => unknown): Delivery['check'] =>
  (activity, value) => {
    expect(activity.spawns, describeActivity(activity)).toEqual([]);
    const others = activity.sgRequests.filter((r) => r.path !== '/api/v1/auth/access_token');
    expect(others.map((r) => `${r.method} ${r.path}`)).toEqual([`${method} ${route}`]);
    expect(read(JSON.parse(others[0]!.body) as Record<string, unknown>)).toBe(value);
    if (value)
      expect(decodeURIComponent(others[0]!.path + JSON.stringify(others[0]!.query))).not.toContain(value);
  };

const versionField = (field: string): Delivery => ({
  status: 200,
  check: sgBody('POST', '/api/v1/entity/versions', (b) => b[field]),
});

const DELIVERIES: Record<string, Delivery> = {
  'resolve.create_timeline params.name': { status: 200, check: bridgeArg((a) => a.name) },
  'resolve.create_timeline params.clips[0]': {
    status: 200,
    check: bridgeArg((a) => (a.clips as unknown[])[0]),
  },
  'resolve.add_to_media_pool params.bin': {
    status: 200,
    // A bin path is bin names joined by single '/': `file:///x` holds empty names.
    refusedByPlugin: (value) => value.split('/').some((part) => part.trim() === ''),
    check: bridgeArg((a) => a.bin),
  },
  'shotgrid.publish_version params.code': versionField('code'),
  'shotgrid.publish_version params.description': versionField('description'),
  'shotgrid.publish_version params.path_to_movie': versionField('sg_path_to_movie'),
  'shotgrid.publish_version params.path_to_frames': versionField('sg_path_to_frames'),
  'shotgrid.get_shot_info params.shot_code': {
    status: 422,
    code: 'SG_NOT_FOUND',
    check: sgBody('POST', '/api/v1/entity/shots/_search', (b) => {
      const filters = b.filters as unknown[][];
      return filters.find((f) => f[0] === 'code')?.[2];
    }),
  },
};

const cases = [...textDataCases(BATTERY_MANIFESTS), ...pathDataCases(BATTERY_MANIFESTS)];

function assertDelivered(answer: ApiAnswer, activity: EdgeActivity, kase: DataCase, s: HostileStack): void {
  const delivery = DELIVERIES[`${kase.action} ${kase.field}`]!;
  const value = s.fill(kase.value);
  if (delivery.refusedByPlugin?.(value)) {
    assertRefused(answer, activity, { codes: ['INVALID_PARAMS'], field: kase.field });
    return;
  }
  expect(answer.status, describeAnswer(answer)).toBe(delivery.status);
  if (delivery.code)
    expect(answer.body, describeAnswer(answer)).toMatchObject({
      status: 'error',
      error: { code: delivery.code },
    });
  else expect(answer.body, describeAnswer(answer)).toMatchObject({ status: 'success' });
  delivery.check(activity, value, s);
}

describe.concurrent('hostile strings in free-text params are carried as inert data', () => {
  it('knows where every free-text slot of the catalog lands', () => {
    const free = collectSlots(BATTERY_MANIFESTS).filter(
      (s) => s.stringKind === 'line' || s.stringKind === 'text',
    );
    for (const slot of free)
      expect(Object.keys(DELIVERIES), `add a delivery rule for ${slot.action} ${slot.field}`).toContain(
        `${slot.action} ${slot.field}`,
      );
  });

  it.each(laneTable(cases))('carries %s verbatim', async (_name, kase) => {
    const s = stack();
    const plugin = laneOf(kase.action);
    const [answer, activity] = await lanes(plugin, async () => {
      const since = s.mark(plugin);
      return [await s.exec(kase.body), await since()] as const;
    });
    assertDelivered(answer, activity, kase, s);
  });
});

it('keeps serving after the battery', async () => {
  await expectServing(stack());
});
