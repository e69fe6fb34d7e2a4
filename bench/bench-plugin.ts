import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';

/** `bench.noop`: the exec path with no action cost. The real no-op agent runs it; simulated agents advertise its manifest. */
export const benchPlugin = definePlugin({
  name: 'bench',
  version: '1.0.0',
  description: 'Benchmark no-op',
  platforms: ['linux', 'darwin', 'windows'],
  actions: {
    noop: defineAction({
      description: 'Return at once',
      params: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } },
      run: (params) => ({ n: params.n ?? 0 }),
    }),
  },
});
