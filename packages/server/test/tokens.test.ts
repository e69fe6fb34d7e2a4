import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOpenClawError } from '@openclaw-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokensFromEnv } from '../src/index.js';

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

describe('loadTokensFromEnv', () => {
  it('returns nothing for an empty environment', async () => {
    expect(await loadTokensFromEnv({})).toEqual([]);
  });

  it('reads OPENCLAW_NODE_TOKEN as "env" and OPENCLAW_TOKENS as env-1, env-2…', async () => {
    expect(await loadTokensFromEnv({ OPENCLAW_NODE_TOKEN: ' single ', OPENCLAW_TOKENS: 'a, b,,c ' })).toEqual(
      [
        { name: 'env', token: 'single' },
        { name: 'env-1', token: 'a' },
        { name: 'env-2', token: 'b' },
        { name: 'env-3', token: 'c' },
      ],
    );
  });

  it('reads a YAML file of strings and {token, name, roles} entries', async () => {
    const p = await file(
      'tokens.yaml',
      'tokens:\n  - plain-token\n  - token: pipeline-token\n    name: pipeline\n  - token: agent-token\n    roles: [agent]\n',
    );
    expect(await loadTokensFromEnv({ OPENCLAW_TOKENS_FILE: p })).toEqual([
      { name: 'file-1', token: 'plain-token' },
      { name: 'pipeline', token: 'pipeline-token' },
      { name: 'file-3', token: 'agent-token', roles: ['agent'] },
    ]);
  });

  it('combines every source and keeps a token listed twice once', async () => {
    const p = await file('dup.yaml', 'tokens:\n  - token: shared\n    name: from-file\n');
    const tokens = await loadTokensFromEnv({ OPENCLAW_NODE_TOKEN: 'shared', OPENCLAW_TOKENS_FILE: p });
    expect(tokens).toEqual([{ name: 'env', token: 'shared' }]);
  });

  it.each([
    ['a missing file', null, 'OPENCLAW_TOKENS_FILE', /Cannot read OPENCLAW_TOKENS_FILE .*ENOENT/],
    ['invalid YAML', 'tokens: [unclosed\n', 'tokens', /not valid YAML/],
    ['no tokens list', 'keys:\n  - a\n', 'tokens', /must be a list/],
    ['an empty string token', 'tokens:\n  - ""\n', 'tokens[0]', /must not be empty/],
    ['an entry without a token', 'tokens:\n  - name: pipeline\n', 'tokens[0].token', /non-empty string/],
    ['a number entry', 'tokens:\n  - 12345\n', 'tokens[0]', /string or an object/],
    ['an unknown field', 'tokens:\n  - token: x\n    secret: y\n', 'tokens[0].secret', /not a known field/],
    ['an unknown role', 'tokens:\n  - token: x\n    roles: [root]\n', 'tokens[0].roles[0]', /must be one of/],
  ])('rejects %s with CONFIG_INVALID naming file and field', async (_label, text, field, message) => {
    const p = text === null ? path.join(dir, 'missing.yaml') : await file(`bad-${field}.yaml`, text);
    const error = await rejection({ OPENCLAW_TOKENS_FILE: p });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(p);
    expect(error.details).toMatchObject({ file: p, field });
  });
});
