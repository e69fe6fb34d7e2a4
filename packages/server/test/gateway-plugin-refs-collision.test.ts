import { type PluginManifest } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { exec, helloFor, toolsManifest } from '@openclaw-node/test-support/server';
import { manifestRef as refOf, useAgentSockets } from './helpers/plugin-refs.js';
import { useTestServer } from './helpers/server.js';

const t = useTestServer();
const { connect } = useAgentSockets(() => t.url);

/** Send a hello as raw Socket.IO text (so numbers like 1e400 reach the server's JSON.parse) and await its ack. */
function rawHello(socket: Awaited<ReturnType<typeof connect>>, json: string): Promise<unknown> {
  const engine = (
    socket as unknown as {
      io: {
        engine: {
          write(s: string): void;
          on(e: string, f: (d: unknown) => void): void;
          off(e: string, f: (d: unknown) => void): void;
        };
      };
    }
  ).io.engine;
  const id = 9000 + Math.floor(Math.random() * 999);
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const text = String(data);
      const prefix = `3/agent,${id}`;
      if (!text.startsWith(prefix)) return;
      engine.off('message', onMessage);
      resolve((JSON.parse(text.slice(prefix.length)) as unknown[])[0]);
    };
    engine.on('message', onMessage);
    engine.write(`2/agent,${id}["hello",${json}]`);
  });
}

/** The victim's plugin: `v` may be anything but null. */
function victimManifest(): PluginManifest {
  return toolsManifest({
    actions: {
      set: {
        description: 'Set a value that must not be null',
        params: {
          type: 'object',
          required: ['v'],
          additionalProperties: false,
          properties: { v: { not: { const: null } } },
        },
      },
    },
  });
}

describe("refs: a manifest cannot be put under another manifest's ref", () => {
  it('refuses a manifest with 1e400 (Infinity, which hashes as null), so it never answers for the ref of the one with null', async () => {
    const victim = victimManifest();
    const ref = refOf(victim);
    // The attacker's manifest: the same text with `null` replaced by 1e400 (Infinity after JSON.parse).
    const evilText = JSON.stringify(victim).replace('"const":null', '"const":1e400');
    const evil = JSON.parse(evilText) as unknown;
    expect(evil).not.toEqual(victim);
    expect(refOf(evil)).toBe(ref);

    const attacker = await connect('ws-evil');
    const { plugins: _p, ...rest } = helloFor('ws-evil');
    const evilAck = await rawHello(
      attacker,
      JSON.stringify({ ...rest, plugins: ['@@M@@'] }).replace('"@@M@@"', evilText),
    );
    expect(evilAck).toMatchObject({
      ok: false,
      error: {
        code: 'MANIFEST_INVALID',
        details: { plugin: 'tools', field: 'manifest.actions.set.params.properties.v.not.const' },
      },
    });

    // An honest agent naming its own manifest by ref is asked for it, not handed the attacker's.
    const honest = await t.agent(t.url, {
      nodeId: 'ws-001',
      hello: { plugins: undefined, pluginRefs: [ref] },
    });
    expect(honest.helloAck).toMatchObject({ ok: false, error: { code: 'MANIFEST_UNKNOWN' } });
  });

  it('leaves a victim that sends its manifest in full with its own validators (they are shared by hash)', async () => {
    const victim = victimManifest();
    const evilText = JSON.stringify(victim).replace('"const":null', '"const":1e400');
    const attacker = await connect('ws-evil');
    const { plugins: _p, ...rest } = helloFor('ws-evil');
    expect(
      await rawHello(attacker, JSON.stringify({ ...rest, plugins: ['@@M@@'] }).replace('"@@M@@"', evilText)),
    ).toMatchObject({ ok: false, error: { code: 'MANIFEST_INVALID' } });
    const honest = await t.agent(t.url, { nodeId: 'ws-001', hello: { plugins: [victim] } });
    expect(honest.helloAck?.ok).toBe(true);
    const res = await exec(t.url, 'ws-001', { action: 'tools.set', params: { v: null } });
    expect(res.status, "v: null must be refused by the victim's manifest").toBe(400);
    expect((await exec(t.url, 'ws-001', { action: 'tools.set', params: { v: 1 } })).status).toBe(200);
  });
});
