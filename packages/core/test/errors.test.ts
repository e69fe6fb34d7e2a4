import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  OpenClawError,
  fromErrorPayload,
  isOpenClawError,
  statusForCode,
  toErrorPayload,
} from '../src/index.js';

describe('ERROR_CODES', () => {
  it('gives every code an HTTP status and a message', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.message.length).toBeGreaterThan(0);
    }
  });

  it('documents every code in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe('OpenClawError', () => {
  it('carries code, status and details and serialises to the wire payload', () => {
    const error = new OpenClawError('PATH_NOT_ALLOWED', 'no', { details: { field: 'params.path' } });
    expect(error.status).toBe(403);
    expect(toErrorPayload(error)).toEqual({
      code: 'PATH_NOT_ALLOWED',
      message: 'no',
      details: { field: 'params.path' },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(toErrorPayload(error));
  });

  it('maps a plugin-specific code to 422 and a malformed code to ACTION_FAILED', () => {
    expect(new OpenClawError('HOUDINI_CRASHED').status).toBe(422);
    expect(statusForCode('HOUDINI_CRASHED')).toBe(422);
    expect(new OpenClawError('not a code').code).toBe('ACTION_FAILED');
  });

  it('hides the message of an unknown error', () => {
    expect(toErrorPayload(new Error('secret internals'))).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal error',
    });
  });

  it('is recognised by brand, not instanceof', () => {
    const payload = toErrorPayload(new OpenClawError('NODE_TIMEOUT', 'slow'));
    const copy = fromErrorPayload(payload);
    expect(isOpenClawError(copy)).toBe(true);
    expect(isOpenClawError({ code: 'X', message: 'y' })).toBe(false);
    expect(copy.status).toBe(504);
  });
});
