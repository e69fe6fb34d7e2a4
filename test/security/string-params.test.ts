import { describe, expect, it } from 'vitest';
import { BATTERY_MANIFESTS } from './catalog.js';
import { stringCases } from './cases.js';
import { itStillServesWithNothingStarted, useHostileStack } from './battery.js';
import { expectRefusal } from './expect-refusal.js';
import { createLanes, laneTable } from './lanes.js';
import { collectSlots } from './param-slots.js';

const stack = useHostileStack();
const lanes = createLanes();
const cases = stringCases(BATTERY_MANIFESTS);

describe.concurrent('hostile strings in every string param of every built-in action', () => {
  it('covers exactly the catalog the server serves, and every string slot in it', async () => {
    const { status, body } = await stack().request('/api/plugins');
    expect(status).toBe(200);
    const served = Object.fromEntries(
      (body.plugins as { name: string; actions: Record<string, { params: unknown }> }[]).map((p) => [
        p.name,
        Object.fromEntries(Object.entries(p.actions).map(([name, a]) => [name, a.params])),
      ]),
    );
    const used = Object.fromEntries(
      BATTERY_MANIFESTS.map((m) => [
        m.name,
        Object.fromEntries(Object.entries(m.actions).map(([name, a]) => [name, a.params])),
      ]),
    );
    expect(served).toEqual(used);
    const stringSlots = collectSlots(BATTERY_MANIFESTS).filter((s) => s.stringKind);
    const covered = new Set(cases.map((c) => c.name.split(' ').slice(0, 2).join(' ')));
    for (const slot of stringSlots.filter((s) => s.stringKind !== 'line' && s.stringKind !== 'text')) {
      expect(covered, `${slot.action} ${slot.field}`).toContain(`${slot.action} ${slot.field}`);
    }
  });

  it.each(laneTable(cases))('refuses %s', async (_name, kase) => {
    await expectRefusal(stack(), kase, lanes);
  });
});

itStillServesWithNothingStarted(stack);
