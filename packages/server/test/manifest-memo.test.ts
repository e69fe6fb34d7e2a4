import { isOpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { validateManifestOnce } from '../src/gateway/manifest-memo.js';
import { parseHello } from '../src/gateway/hello.js';
import { toolsManifest } from '@openclaw-node/test-support/server';

/** A catalog that knows no manifest (these hellos send theirs in full). */
const NONE = { known: () => undefined };

/** What arrives over the wire: a fresh object per hello. */
const received = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('validateManifestOnce', () => {
  it('gives every hello advertising the same manifest one shared object', () => {
    const first = validateManifestOnce(received(toolsManifest({ version: '7.0.1' })));
    const second = validateManifestOnce(received(toolsManifest({ version: '7.0.1' })));
    expect(second).toBe(first);
    expect(second).toEqual(toolsManifest({ version: '7.0.1' }));
  });

  it('validates a manifest that differs in any field on its own', () => {
    const a = validateManifestOnce(received(toolsManifest({ version: '7.0.2' })));
    const b = validateManifestOnce(received(toolsManifest({ version: '7.0.3' })));
    expect(b).not.toBe(a);
    expect(b.version).toBe('7.0.3');
  });

  it('shares the object with an equal manifest whose keys come in another order', () => {
    const first = validateManifestOnce(received(toolsManifest({ version: '7.0.4' })));
    const { actions, ...rest } = received(toolsManifest({ version: '7.0.4' }));
    const reordered = { actions, ...Object.fromEntries(Object.entries(rest).reverse()) };
    expect(validateManifestOnce(reordered)).toBe(first);
  });

  it('validates a same-version manifest that differs deep inside, and refuses it when invalid', () => {
    validateManifestOnce(received(toolsManifest({ version: '7.0.5' })));
    const bad = received(toolsManifest({ version: '7.0.5' }));
    (bad.actions.render!.params as { type: string }).type = 'not-a-type';
    expect(() => validateManifestOnce(bad)).toThrow(/render\.params/);
  });

  it('rejects an invalid manifest every time, never remembering it', () => {
    const bad = { ...toolsManifest(), name: 'Bad Name' };
    for (let i = 0; i < 2; i++) {
      let caught: unknown;
      try {
        validateManifestOnce(received(bad));
      } catch (error) {
        caught = error;
      }
      expect(isOpenClawError(caught) && caught.code).toBe('MANIFEST_INVALID');
    }
  });

  it('shares the manifests of two parsed hellos', () => {
    const hello = {
      nodeId: 'ws-1',
      hostname: 'ws-1',
      platform: 'linux',
      arch: 'x64',
      agentVersion: '0.1.0',
      tags: [],
      plugins: [toolsManifest({ version: '7.1.0' })],
      skipped: [],
    };
    const one = parseHello(received(hello), 'ws-1', NONE);
    const two = parseHello(received({ ...hello, nodeId: 'ws-2', hostname: 'ws-2' }), 'ws-2', NONE);
    expect(two.plugins[0]).toBe(one.plugins[0]);
  });
});
