import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@openclaw-node/test-support/cli';
import { shellWords } from './helpers/shell-words.js';

// `npm start` over ssh or in a container: no display, so explorer cannot open windows. Quickstart
// says so at start-up and marks the line that works anyway, which then works as printed.
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');

describe.runIf(process.platform === 'linux')('quickstart without a desktop session', () => {
  it('says explorer cannot open windows here and prints explorer.ping, which works', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    const child = execa(
      process.execPath,
      [bin, 'quickstart', '--port', '0', '--store', 'memory', '--log-level', 'silent'],
      {
        env,
        extendEnv: false,
        reject: false,
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(() => (stdout.includes('Press Ctrl+C') ? true : undefined), 'the instructions', 90_000);
      expect(stdout).toContain('No desktop session here: neither DISPLAY nor WAYLAND_DISPLAY is set');
      expect(stdout).toContain(
        'So explorer.open_folder answers NO_DESKTOP_SESSION; explorer.ping works anyway',
      );
      const lines = stdout.split('\n').map((l) => l.trim());
      const ping = lines.find((l) => l.includes('explorer.ping') && l.endsWith('# works here'));
      const open = lines.find(
        (l) => l.includes('explorer.open_folder') && l.endsWith('# needs a desktop session'),
      );
      expect(ping).toMatch(/^npx --no-install openclaw exec local explorer\.ping /);
      expect(open).toBeDefined();
      const argv = (line: string) => shellWords(line.replace(/ +#.*$/, '')).slice(3);
      const pinged = await execa(process.execPath, [bin, ...argv(ping!)], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(pinged.exitCode, pinged.stderr).toBe(0);
      expect(JSON.parse(pinged.stdout)).toBeTypeOf('object');
      const opened = await execa(process.execPath, [bin, ...argv(open!)], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(opened.exitCode).toBe(1);
      expect(opened.stderr).toMatch(/^NO_DESKTOP_SESSION: /);
    } finally {
      child.kill('SIGINT');
      await child;
    }
  }, 120_000);
});
