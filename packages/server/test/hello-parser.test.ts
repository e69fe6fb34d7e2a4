import { Decoder as PlainDecoder, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { agentSocketParser, PluginListMemo } from '../src/gateway/hello-parser.js';
import { parseHello } from '../src/gateway/hello.js';
import { toolsManifest } from '@openclaw-node/test-support/server';

/** A catalog that knows no manifest (these hellos send theirs in full). */
const NONE = { known: () => undefined };

const manifests = (version: string) => [
  toolsManifest({ version }),
  { ...toolsManifest({ version }), name: 'tools2' },
];

const helloText = (nodeId: string, version = '9.0.0', extra = ''): string =>
  JSON.stringify([
    'hello',
    {
      nodeId,
      hostname: nodeId,
      platform: 'linux',
      arch: 'x64',
      agentVersion: '0.1.0',
      tags: ['a'],
      plugins: manifests(version),
      skipped: [],
    },
  ]).slice(0, -2) + `${extra}}]`;

/** Packets as socket.io-parser's own decoder and the agent server's decoder give them. */
function decodeBoth(
  decoder: InstanceType<ReturnType<typeof agentSocketParser>['Decoder']>,
  wire: string,
): { plain: Packet | Error; ours: Packet | Error } {
  const run = (d: PlainDecoder): Packet | Error => {
    let packet: Packet | undefined;
    d.on('decoded', (p: Packet) => (packet = p));
    try {
      d.add(wire);
    } catch (error) {
      return error as Error;
    } finally {
      d.off('decoded');
    }
    return packet!;
  };
  return { plain: run(new PlainDecoder()), ours: run(decoder) };
}

describe('the agent server parser (hello plugin lists parsed once per text)', () => {
  it('decodes a hello as socket.io-parser does, sharing the manifests of an equal list', () => {
    const { Decoder } = agentSocketParser();
    const decoder = new Decoder();
    const first = decodeBoth(decoder, `2/agent,7${helloText('ws-1')}`);
    const second = decodeBoth(decoder, `2/agent,8${helloText('ws-2')}`);
    expect(first.ours).toEqual(first.plain);
    expect(second.ours).toEqual(second.plain);
    const plugins = (p: Packet | Error) => ((p as Packet).data as [string, { plugins: object[] }])[1].plugins;
    expect(plugins(second.ours)[0]).toBe(plugins(first.ours)[0]);
    expect(plugins(second.ours)).not.toBe(plugins(first.ours));
    // Shared between sessions, so frozen: no session can change another's manifest.
    expect(Object.isFrozen(plugins(second.ours)[0])).toBe(true);
    expect(() => {
      (plugins(second.ours)[0] as { name: string }).name = 'other';
    }).toThrow(TypeError);
  });

  it('gives hostile texts exactly what JSON.parse gives (or the same refusal)', () => {
    const memo = new PluginListMemo();
    const list = JSON.stringify(manifests('9.1.0'));
    // The list is remembered first, so each case below meets it on the fast path.
    const good = helloText('ws-1', '9.1.0');
    expect(memo.parse(good)).toEqual(JSON.parse(good));
    const cases = [
      // A later key of the same name wins in JSON.parse.
      helloText('ws-2', '9.1.0', ',"plugins":0'),
      helloText('ws-2', '9.1.0', ',"plugins":[]'),
      helloText('ws-2', '9.1.0', ',"plugin\\u0073":7'),
      // The list text inside a string, inside a nested object, and before the real list.
      `["hello",{"hostname":"x\\"plugins\\":${list}","plugins":[]}]`,
      `["hello",{"nested":{"plugins":${list}},"plugins":[1]}]`,
      `["hello",{"x":"\\"plugins\\":[","plugins":${list}}]`,
      // The list as a prefix of a longer value, text after it that is not JSON, a second hello.
      `["hello",{"plugins":${list.slice(0, -1)},1]}]`,
      `["hello",{"plugins":${list}}]]`,
      `["hello",{"plugins":${list}},{"plugins":${list}}]`,
      `["hello",{"plugins":${list}`,
      `["hello",{"nodeId":"x","plugins":${list},"skipped":[]}]`,
    ];
    for (const text of cases) {
      let expected: unknown;
      try {
        expected = JSON.parse(text);
      } catch {
        expected = undefined;
      }
      const parsed = memo.parse(text);
      // undefined: the caller parses the text whole (and refuses it when it is not JSON).
      if (parsed !== undefined) expect(parsed, text).toEqual(expected);
      else if (expected !== undefined) expect(JSON.parse(text)).toEqual(expected);
    }
    // A list that only looks complete to the bracket scan is never taken for one.
    expect(memo.parse(`["hello",{"plugins":[{"a":"]"},"b"}]`)).toBeUndefined();
  });

  it('keeps each text to its own list: one agent cannot change what another decodes', () => {
    const memo = new PluginListMemo();
    const honest = helloText('ws-1', '9.2.0');
    memo.parse(honest);
    // Same first characters, then a different list: parsed on its own, never served to the other.
    const base = manifests('9.2.0');
    const altered = [...base, { ...base[0]!, name: 'tools3' }];
    const hostile = JSON.stringify(['hello', { nodeId: 'evil', plugins: altered }]);
    expect(memo.parse(hostile)).toEqual(JSON.parse(hostile));
    expect(memo.parse(honest)).toEqual(JSON.parse(honest));
    expect(memo.parse(helloText('ws-3', '9.2.0'))).toEqual(JSON.parse(helloText('ws-3', '9.2.0')));
  });

  it('still validates every hello: a remembered list with an invalid manifest is refused each time', () => {
    const memo = new PluginListMemo();
    const bad = JSON.stringify([
      'hello',
      {
        nodeId: 'ws-1',
        hostname: 'ws-1',
        platform: 'linux',
        arch: 'x64',
        agentVersion: '0.1.0',
        plugins: [{ ...toolsManifest({ version: '9.3.0' }), name: 'Bad Name' }, toolsManifest()],
      },
    ]);
    for (let i = 0; i < 2; i++) {
      const [, payload] = memo.parse(bad) as [string, unknown];
      expect(() => parseHello(payload, 'ws-1', NONE)).toThrow(/Bad Name|name/);
    }
  });

  it('takes a list nested as deep as the message allows without overflowing the stack', () => {
    const memo = new PluginListMemo();
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const text = `["hello",{"nodeId":"ws-1","plugins":[${deep}]}]`;
    const [, hello] = memo.parse(text) as [string, { plugins: unknown }];
    let depth = 0;
    for (let level: unknown = hello.plugins; Array.isArray(level); level = level[0]) depth += 1;
    expect(depth).toBe(200_001);
  });

  it('passes other packets to socket.io-parser untouched', () => {
    const { Decoder } = agentSocketParser();
    const decoder = new Decoder();
    for (const wire of [
      '0/agent,{"token":"t"}',
      '2/agent,["job:accepted",{"jobId":"j"}]',
      '3/agent,5[{"ok":true}]',
      '2/agent,["hello",{"plugins":[]}]',
      '2/agent,["hello",',
      '2["hello",{"plugins":[1,2]}]',
    ]) {
      const { plain, ours } = decodeBoth(decoder, wire);
      expect(ours, wire).toEqual(plain);
    }
  });
});
