import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENDED_JOURNAL_SUFFIX, readEndedJournal } from '../../src/jobs/store/sqlite/ended-journal.js';

const SCENARIOS = fileURLToPath(new URL('./fixtures/ended-journal-scenarios.ts', import.meta.url));

/** Run one scenario of fixtures/ended-journal-scenarios.ts in a child killed with SIGKILL; what it was told. */
export async function runKilled(dir: string, scenario: string): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', SCENARIOS, dir, scenario],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_c, s) => resolve(s)),
  );
  if (signal !== 'SIGKILL') throw new Error(`the writer was not killed (${signal}): ${err}`);
  const told = path.join(dir, 'told.json');
  return existsSync(told) ? (JSON.parse(readFileSync(told, 'utf8')) as Record<string, unknown>) : {};
}

export const journalOf = (dir: string) =>
  readEndedJournal(path.join(dir, `jobs.sqlite${ENDED_JOURNAL_SUFFIX}`));
