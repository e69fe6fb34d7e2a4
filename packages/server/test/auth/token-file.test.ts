import { createHash } from 'node:crypto';
import { isOpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { createTokenAuthProvider, parseTokensFile } from '../../src/index.js';
import { tokenWarnings } from '../../src/security/auth/token-warnings.js';

const TOKEN = 'Yt3kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8aE2uI0oK3';
const HASH = createHash('sha256').update(TOKEN).digest('hex');

function refusal(text: string): { message: string; field: unknown } {
  try {
    parseTokensFile(text, '/etc/openclaw/tokens.yaml');
  } catch (error) {
    if (isOpenClawError(error) && error.code === 'CONFIG_INVALID') {
      return { message: error.message, field: error.details?.field };
    }
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseTokensFile (scoped entries)', () => {
  it('reads roles, node and action globs, and sha256 hashes instead of tokens', () => {
    const entries = parseTokensFile(
      [
        'tokens:',
        '  - name: ci',
        `    sha256: ${HASH.toUpperCase()}`,
        '    roles: [operator]',
        '    nodes: ["ws-*"]',
        '    actions: ["explorer.*", "rv.*"]',
        '  - name: ws-042',
        '    token: agent-token-for-ws-042-xxxxxxxxxxx',
        '    roles: [agent, agent]',
        '    nodes: [ws-042]',
        '  - name: wall',
        `    sha256: "sha256:${HASH.replace(/.$/, '0')}"`,
        '    roles: [viewer]',
      ].join('\n'),
      'tokens.yaml',
    );
    expect(entries).toEqual([
      { name: 'ci', sha256: HASH, roles: ['operator'], nodes: ['ws-*'], actions: ['explorer.*', 'rv.*'] },
      { name: 'ws-042', token: 'agent-token-for-ws-042-xxxxxxxxxxx', roles: ['agent'], nodes: ['ws-042'] },
      { name: 'wall', sha256: HASH.replace(/.$/, '0'), roles: ['viewer'] },
    ]);
  });

  it('authenticates a hashed entry with the token itself, and never with the hash', () => {
    const provider = createTokenAuthProvider(
      parseTokensFile(
        `tokens:\n  - name: ci\n    sha256: ${HASH}\n    roles: [operator]\n    nodes: [ws-*]\n`,
        'f',
      ),
    );
    expect(provider.authenticate(TOKEN)).toEqual({
      name: 'ci',
      roles: ['operator'],
      nodes: ['ws-*'],
      via: 'token',
    });
    expect(provider.authenticate(HASH)).toBeNull();
  });

  it.each([
    [
      'roles missing on a scoped entry',
      `tokens:\n  - name: ci\n    sha256: ${HASH}\n`,
      'tokens[0].roles',
      /is required for a scoped entry/,
    ],
    [
      'nodes without roles',
      `tokens:\n  - name: ci\n    token: ${TOKEN}\n    nodes: [ws-1]\n`,
      'tokens[0].roles',
      /is required/,
    ],
    [
      'a name missing on a hashed entry',
      `tokens:\n  - sha256: ${HASH}\n    roles: [admin]\n`,
      'tokens[0].name',
      /is required/,
    ],
    [
      'both token and sha256',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    sha256: ${HASH}\n    roles: [admin]\n`,
      'tokens[0]',
      /either token or sha256/,
    ],
    [
      'a short hash',
      `tokens:\n  - name: x\n    sha256: abc123\n    roles: [admin]\n`,
      'tokens[0].sha256',
      /64 hexadecimal/,
    ],
    [
      'a short token',
      `tokens:\n  - name: x\n    token: only-fifteen-ch\n    roles: [admin]\n`,
      'tokens[0].token',
      /15 characters; a token needs at least 16/,
    ],
    ['a token with spaces', `tokens:\n  - "two words token here"\n`, 'tokens[0]', /whitespace/],
    [
      'a node glob with a slash',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    roles: [agent]\n    nodes: [ws/1]\n`,
      'tokens[0].nodes[0]',
      /node-id glob/,
    ],
    [
      'an empty action list',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    roles: [operator]\n    actions: []\n`,
      'tokens[0].actions',
      /non-empty list/,
    ],
    [
      'a regular expression as a glob',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    roles: [operator]\n    actions: ["rv\\\\.(a|b)"]\n`,
      'tokens[0].actions[0]',
      /action-id glob/,
    ],
    [
      'a name used twice',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    roles: [admin]\n  - name: x\n    sha256: ${HASH.replace(/.$/, '1')}\n    roles: [viewer]\n`,
      'tokens[1].name',
      /already used by tokens\[0\]/,
    ],
    [
      'one token twice (plain and hashed)',
      `tokens:\n  - name: x\n    token: ${TOKEN}\n    roles: [admin]\n  - name: y\n    sha256: ${HASH}\n    roles: [viewer]\n`,
      'tokens[1]',
      /same token as tokens\[0\]/,
    ],
    [
      'a name with spaces',
      `tokens:\n  - name: "my token"\n    token: ${TOKEN}\n    roles: [admin]\n`,
      'tokens[0].name',
      /letters, digits/,
    ],
  ])('refuses %s, naming the file and field', (_label, text, field, message) => {
    const error = refusal(text);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('/etc/openclaw/tokens.yaml');
    expect(error.message).not.toContain(TOKEN);
  });

  it('does not expand YAML alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 12 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      'tokens: [*l11]',
    ].join('\n');
    expect(refusal(bomb).field).toBe('tokens');
  });
});

describe('tokenWarnings', () => {
  it('flags full-access entries, short tokens and agent tokens bound to no node', () => {
    const warnings = tokenWarnings([
      { name: 'env', token: 'x'.repeat(20) },
      { name: 'ws', token: TOKEN, roles: ['agent'] },
      { name: 'ok', sha256: HASH, roles: ['agent'], nodes: ['ws-1'] },
    ]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^1 token has full access \(env\).*openclaw token create/);
    expect(warnings[1]).toMatch(/^token env is shorter than 32 characters/);
    expect(warnings[2]).toMatch(/^agent token ws may connect as any node id/);
    expect(tokenWarnings([{ name: 'ok', sha256: HASH, roles: ['agent'], nodes: ['ws-1'] }])).toEqual([]);
  });
});
