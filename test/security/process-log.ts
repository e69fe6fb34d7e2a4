import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One start of a fake program, as it logged itself. */
export interface ProcessRecord {
  tool: string;
  argv: string[];
  stdin: string;
  pid: number;
}

/** Make the folder the fake writes its records in (it starts no `mkdir` of its own). */
export async function createProcessLog(log: string): Promise<void> {
  await mkdir(`${log}.d`, { recursive: true });
}

/**
 * The starts of the recording fake (fixtures/hostile/fake-program.sh), in the order they were
 * logged. Each start writes its record to a file of its own under `<log>.d/` and only then appends
 * that file's name to the log, a short line that one `write` appends whole. A record can be
 * 100 KB of hostile argv: appended to the shared log, bash writes it in several pieces, which the
 * pieces of a concurrent start can split and which a reader can catch half-written. A name whose
 * line has no newline yet is still being written and is left for the next read.
 */
export async function readProcessLog(log: string): Promise<ProcessRecord[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  const names = text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
  return Promise.all(
    names.map(async (name) => {
      const record = await readFile(path.join(`${log}.d`, path.basename(name)), 'utf8');
      return JSON.parse(record) as ProcessRecord;
    }),
  );
}
