import { describe, it } from 'vitest';
import { BATTERY_MANIFESTS } from './catalog.js';
import { pathCases, type RefusalCase } from './cases.js';
import { itStillServesWithNothingStarted, useHostileStack } from './battery.js';
import { expectRefusal } from './expect-refusal.js';
import { createLanes, laneTable } from './lanes.js';

const stack = useHostileStack();
const lanes = createLanes();

/**
 * rvpush pastes media paths into Mu string literals of the running RV: a `"` or `\` in an existing
 * file's name would end the literal, so merge/set refuse them before anything starts.
 */
const RVPUSH_CASES: RefusalCase[] = (['merge', 'set'] as const).flatMap((mode) =>
  [
    ['double-quote', '{{show}}/sh010/comp/mu".exr'],
    ['backslash', '{{show}}/sh010/comp/mu\\.exr'],
  ].map(([label, file]) => ({
    name: `rv.open_sources params.sources[0] rvpush-${mode}:${label}`,
    body: { action: 'rv.open_sources', params: { sources: [file], mode } },
    expect: { codes: ['INVALID_PARAMS'], field: 'params.sources[0]' },
  })),
);

const cases = [...pathCases(BATTERY_MANIFESTS), ...RVPUSH_CASES];

describe.concurrent(
  'hostile paths in every path param: foreign forms, escapes, symlinks, look-alikes',
  () => {
    it.each(laneTable(cases))('refuses %s', async (_name, kase) => {
      await expectRefusal(stack(), kase, lanes);
    });
  },
);

itStillServesWithNothingStarted(stack);
