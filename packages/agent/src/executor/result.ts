import { assertValid, OpenClawError } from '@openclaw-node/core';
import type { LoadedAction } from '../plugins/plugin-catalog.js';

/** Largest serialised result the agent sends: well under Socket.IO's default 1 MB message limit. */
export const MAX_RESULT_BYTES = 512 * 1024;

/**
 * Turn a handler's return value into the JSON the ack carries: undefined becomes null, the value
 * must survive JSON, fit MAX_RESULT_BYTES, and match the action's `result` schema if it has one.
 */
export function toResult(value: unknown, action: LoadedAction): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new OpenClawError(
      'INVALID_RESULT',
      `${action.id} returned a result that is not JSON: ${(error as Error).message}`,
      {
        details: { field: 'result' },
      },
    );
  }
  if (json === undefined) return null;
  if (json.length > MAX_RESULT_BYTES) {
    throw new OpenClawError(
      'INVALID_RESULT',
      `${action.id} returned a ${json.length}-byte result, over the ${MAX_RESULT_BYTES}-byte limit`,
      { details: { field: 'result', bytes: json.length } },
    );
  }
  const result: unknown = JSON.parse(json);
  if (action.validateResult) assertValid(action.validateResult(result), 'INVALID_RESULT');
  return result;
}
