import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerOptions } from '../../src/index.js';
import { startServer, type TestServer } from '@openclaw-node/test-support/server';

/** The tokens of the studio the security tests run against. */
export const T = {
  admin: 'admin-token-5Kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS',
  ci: 'ci-token-Yt3kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8a',
  wall: 'wall-token-3kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8',
  ws1: 'ws1-agent-token-q8xQ2mZ7pL0vR5nB1cW9dF4gH6',
  render: 'render-agent-token-Q2mZ7pL0vR5nB1cW9dF4gH6',
} as const;

export const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A scoped tokens file: admin, an operator for ws-* (tools.ping and tools.open_*), a viewer for ws-1*, agents. */
export function studioTokensYaml(overrides: { ws1Nodes?: string[]; dropWs1?: boolean } = {}): string {
  const lines = [
    'tokens:',
    '  - name: admin',
    `    sha256: ${sha256(T.admin)}`,
    '    roles: [admin]',
    '  - name: ci',
    `    token: ${T.ci}`,
    '    roles: [operator]',
    '    nodes: ["ws-*"]',
    '    actions: ["tools.ping", "tools.open_*"]',
    '  - name: wall',
    `    sha256: ${sha256(T.wall)}`,
    '    roles: [viewer]',
    '    nodes: ["ws-1*"]',
    '  - name: render-farm',
    `    sha256: ${sha256(T.render)}`,
    '    roles: [agent]',
    '    nodes: ["render-*"]',
  ];
  if (!overrides.dropWs1) {
    lines.push(
      '  - name: ws-1',
      `    sha256: ${sha256(T.ws1)}`,
      '    roles: [agent]',
      `    nodes: [${(overrides.ws1Nodes ?? ['ws-1']).map((n) => JSON.stringify(n)).join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface ScopedServer extends TestServer {
  dir: string;
  tokensFile: string;
  /** Rewrite the tokens file. */
  writeTokens(text: string): Promise<void>;
}

/** A real server on 127.0.0.1:0 whose only tokens come from a scoped tokens file in a temp folder. */
export async function startScopedServer(
  overrides: Partial<ServerOptions> = {},
  yaml = studioTokensYaml(),
): Promise<ScopedServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-security-'));
  const tokensFile = path.join(dir, 'tokens.yaml');
  await writeFile(tokensFile, yaml);
  let server: TestServer;
  try {
    server = await startServer({
      tokens: [],
      tokensFile,
      tokensFileWatch: { debounceMs: 20, pollMs: 50 },
      ...overrides,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    dir,
    tokensFile,
    writeTokens: (text) => writeFile(tokensFile, text),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
