import { ERROR_CODES, isKnownErrorCode } from '@openclaw-node/core';
import { expect } from 'vitest';
import type { Refusal, RefusalCase } from './cases.js';
import { laneOf, type Lanes } from './lanes.js';
import type { ApiAnswer, EdgeActivity, HostileStack } from './stack.js';

/**
 * Every refusal names the full path of the field (`params.script`, `params.files[0]`), the same from
 * the server's validator, the agent's and the plugins' own checks. With `orAncestor`, a field holding
 * the expected one (`params.sources` for `params.sources[0].layers[0]`) names it too.
 */
export function sameField(actual: unknown, expected: string, orAncestor = false): boolean {
  if (typeof actual !== 'string') return false;
  if (actual === expected) return true;
  const full = actual;
  return (
    orAncestor &&
    full.startsWith('params.') &&
    /^[.[]/.test(expected.slice(full.length)) &&
    expected.startsWith(full)
  );
}

/** Describe an answer for a failure message: status and body, cut short. */
export function describeAnswer(answer: ApiAnswer): string {
  return `HTTP ${answer.status} ${answer.text.slice(0, 600)}`;
}

/** Describe edge activity for a failure message. */
export function describeActivity(activity: EdgeActivity): string {
  return JSON.stringify({
    spawns: activity.spawns.map((s) => [s.via, s.file, ...s.args].join(' ').slice(0, 300)),
    processes: activity.processes.map((p) => [p.tool, ...p.argv].join(' ').slice(0, 300)),
    sgRequests: activity.sgRequests.map((r) => `${r.method} ${r.path}`),
  });
}

/**
 * Assert a clear refusal: a 4xx matching its code's status, the error body shape, a code from the
 * expected set, the field at fault, and nothing started or sent anywhere.
 */
export function assertRefused(answer: ApiAnswer, activity: EdgeActivity, expected: Refusal): void {
  const said = describeAnswer(answer);
  expect(answer.status, said).toBeGreaterThanOrEqual(400);
  expect(answer.status, said).toBeLessThan(500);
  expect(answer.body, said).toMatchObject({
    status: 'error',
    error: { code: expect.any(String), message: expect.any(String) },
  });
  const error = answer.body.error as { code: string; message: string; details?: Record<string, unknown> };
  expect(expected.codes, said).toContain(error.code);
  if (isKnownErrorCode(error.code)) expect(answer.status, said).toBe(ERROR_CODES[error.code].status);
  expect(error.message.length, said).toBeGreaterThan(0);
  if (expected.field !== undefined) {
    expect(
      sameField(error.details?.field, expected.field, expected.orAncestorField),
      `details.field should name ${expected.field}: ${said}`,
    ).toBe(true);
  }
  expect(
    activity.spawns.length + activity.processes.length + activity.sgRequests.length,
    `something was started or sent: ${describeActivity(activity)} (${said})`,
  ).toBe(0);
}

/**
 * Send one refusal case and assert it. With lanes, the case runs in its plugin's lane and only
 * activity that plugin could cause is held against it.
 */
export async function expectRefusal(stack: HostileStack, kase: RefusalCase, lanes?: Lanes): Promise<void> {
  const plugin = lanes ? laneOf((kase.body as { action?: unknown }).action) : undefined;
  const attempt = async (): Promise<[ApiAnswer, EdgeActivity]> => {
    const since = stack.mark(plugin);
    const answer =
      kase.raw === undefined
        ? await stack.exec(kase.body)
        : await stack.request(`/api/nodes/${stack.nodeId}/exec`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: stack.fill(kase.raw),
          });
    return [answer, await since()];
  };
  const [answer, activity] = lanes && plugin ? await lanes(plugin, attempt) : await attempt();
  assertRefused(answer, activity, kase.expect);
}

/** Assert an agent's `exec` ack refuses with an expected code naming the field, and nothing happened. */
export function assertAckRefused(ack: unknown, activity: EdgeActivity, expected: Refusal): void {
  const said = JSON.stringify(ack)?.slice(0, 600) ?? String(ack);
  expect(ack, said).toMatchObject({
    ok: false,
    error: { code: expect.any(String), message: expect.any(String) },
  });
  const error = (ack as { error: { code: string; message: string; details?: Record<string, unknown> } })
    .error;
  expect(expected.codes, said).toContain(error.code);
  expect(error.message.length, said).toBeGreaterThan(0);
  if (expected.field !== undefined) {
    expect(
      sameField(error.details?.field, expected.field, expected.orAncestorField),
      `details.field should name ${expected.field}: ${said}`,
    ).toBe(true);
  }
  expect(
    activity.spawns.length + activity.processes.length + activity.sgRequests.length,
    `something was started or sent: ${describeActivity(activity)} (${said})`,
  ).toBe(0);
}
