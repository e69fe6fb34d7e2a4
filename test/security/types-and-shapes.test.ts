import { describe, it } from 'vitest';
import { BATTERY_MANIFESTS } from './catalog.js';
import { numberEdgeCases, shapeCases, wrongTypeCases } from './cases.js';
import { itStillServesWithNothingStarted, useHostileStack } from './battery.js';
import { expectRefusal } from './expect-refusal.js';
import { createLanes, laneTable } from './lanes.js';

const stack = useHostileStack();
const lanes = createLanes();

describe.concurrent(
  'wrong types, number edges, extra properties, deep nesting and huge arrays in every action',
  () => {
    it.each(laneTable(wrongTypeCases(BATTERY_MANIFESTS)))('refuses %s', async (_name, kase) => {
      await expectRefusal(stack(), kase, lanes);
    });

    it.each(laneTable(numberEdgeCases(BATTERY_MANIFESTS)))('refuses %s', async (_name, kase) => {
      await expectRefusal(stack(), kase, lanes);
    });

    it.each(laneTable(shapeCases(BATTERY_MANIFESTS)))('refuses %s', async (_name, kase) => {
      await expectRefusal(stack(), kase, lanes);
    });
  },
);

itStillServesWithNothingStarted(stack);
