import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOpenClawError } from '@openclaw-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvTokens, loadTokensFromEnv } from '../src/security/auth/tokens.js';

let dir: string;
const file = async (name: string, text: string): Promise<string> => {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-tokens-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(
  env: NodeJS.ProcessEnv,
): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await loadTokensFromEnv(env);
  } catch (error) {
    if (isOpenClawError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected loadTokensFromEnv to reject');
}

const A = 'aaaaaaaaaaaaaaaa-env-token-1';
const B = 'bbbbbbbbbbbbbbbb-env-token-2';
const C = 'cccccccccccccccc-env-token-3';

describe('loadTokensFromEnv', () => {
  it('returns nothing for an empty environment', async () => {
    expect(await loadTokensFromEnv({})).toEqual([]);
  });

  it('reads OPENCLAW_NODE_TOKEN as "env" and OPENCLAW_TOKENS as env-1, env-2…', async () => {
    expect(
      await loadTokensFromEnv({ OPENCLAW_NODE_TOKEN: ` ${A} `, OPENCLAW_TOKENS: `${B}, ${C},,` }),
    ).toEqual([
      { name: 'env', token: A },
      { name: 'env-1', token: B },
      { name: 'env-2', token: C },
    ]);
  });

  it('refuses an environment token shorter than 16 characters, naming the variable but not the token', () => {
    expect(() => loadEnvTokens({ OPENCLAW_TOKENS: `${A},short-one` })).toThrow(
      /^OPENCLAW_TOKENS\[1\] is 9 characters; a token needs at least 16/,
    );
    try {
      loadEnvTokens({ OPENCLAW_NODE_TOKEN: 'tok' });
    } catch (error) {
      expect(isOpenClawError(error) && error.details).toEqual({ field: 'OPENCLAW_NODE_TOKEN' });
      expect(String(error)).not.toContain("'tok'");
    }
  });

  it('reads a YAML file of legacy strings, legacy {token, name} and scoped entries', async () => {
    const p = await file(
      'tokens.yaml',
      [
        'tokens:',
        '  - plain-token-0123456789',
        '  - token: pipeline-token-0123456789',
        '    name: pipeline',
        '  - name: ws-042',
        '    token: agent-token-0123456789',
        '    roles: [agent]',
        '    nodes: [ws-042]',
      ].join('\n'),
    );
    expect(await loadTokensFromEnv({ OPENCLAW_TOKENS_FILE: p })).toEqual([
      { name: 'file-1', token: 'plain-token-0123456789' },
      { name: 'pipeline', token: 'pipeline-token-0123456789' },
      { name: 'ws-042', token: 'agent-token-0123456789', roles: ['agent'], nodes: ['ws-042'] },
    ]);
  });

  it('combines every source and keeps a token listed twice once', async () => {
    const p = await file('dup.yaml', `tokens:\n  - token: ${A}\n    name: from-file\n`);
    const tokens = await loadTokensFromEnv({ OPENCLAW_NODE_TOKEN: A, OPENCLAW_TOKENS_FILE: p });
    expect(tokens).toEqual([{ name: 'env', token: A }]);
  });

  it.each([
    ['a missing file', null, 'OPENCLAW_TOKENS_FILE', /Cannot read OPENCLAW_TOKENS_FILE .*ENOENT/],
    ['invalid YAML', 'tokens: [unclosed\n', 'tokens', /not valid YAML/],
    ['no tokens list', 'keys:\n  - a\n', 'tokens', /must be a list/],
    ['an empty string token', 'tokens:\n  - ""\n', 'tokens[0]', /must be a non-empty string/],
    [
      'an entry without a token',
      'tokens:\n  - name: pipeline\n',
      'tokens[0].token',
      /non-empty string, or give sha256/,
    ],
    ['a number entry', 'tokens:\n  - 12345\n', 'tokens[0]', /string or an object/],
    [
      'an unknown field',
      `tokens:\n  - token: ${A}\n    secret: y\n`,
      'tokens[0].secret',
      /not a known field/,
    ],
    [
      'an unknown role',
      `tokens:\n  - name: x\n    token: ${A}\n    roles: [root]\n`,
      'tokens[0].roles[0]',
      /must be one of agent, operator, viewer, admin/,
    ],
  ])('rejects %s with CONFIG_INVALID naming file and field', async (_label, text, field, message) => {
    const p = text === null ? path.join(dir, 'missing.yaml') : await file(`bad-${field}.yaml`, text);
    const error = await rejection({ OPENCLAW_TOKENS_FILE: p });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(p);
    expect(error.details).toMatchObject({ file: p, field });
  });
});
