import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';

/** The journal's file name: the history file's name with this suffix (`jobs.sqlite-ended`). */
export const ENDED_JOURNAL_SUFFIX = '-ended';

/** One ended job as the journal holds it: the history row's INSERT values by column name. */
export type EndedRecord = Record<string, unknown>;

/** What a journal left by an earlier process holds. */
export interface EndedJournalContents {
  records: EndedRecord[];
  /** Lines that are not a record (a write cut short by a full disk, or not this journal's). */
  unreadable: number;
}

/**
 * The ends of short jobs that were answered before their row reached the history file: one line per
 * job, appended with one write() before its caller is answered, so that a process crash cannot lose
 * it (the operating system holds what was written). The store empties the journal once every row in
 * it is committed to the file, and writes the rows of a journal left by a crash at its next open.
 * Each line starts with a newline: a line cut short (a full disk) then ends at the next one's start
 * instead of spoiling it.
 */
export class EndedJournal {
  readonly file: string;
  readonly #fd: number;
  #closed = false;
  /** Nothing was appended since the journal was last emptied. */
  #empty: boolean;

  constructor(file: string) {
    this.file = file;
    // Its lines hold job parameters (secrets redacted) as the history file does: readable by no one else.
    this.#fd = openSync(file, 'a', 0o600);
    try {
      fchmodSync(this.#fd, 0o600);
      this.#empty = fstatSync(this.#fd).size === 0;
    } catch (error) {
      closeSync(this.#fd);
      throw error;
    }
  }

  /** Append one record; throws (ENOSPC, EIO) when the operating system did not take all of it. */
  append(record: EndedRecord): void {
    const bytes = Buffer.from(`\n${JSON.stringify(record)}`);
    // Even a write cut short leaves bytes to empty later.
    this.#empty = false;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written, bytes.length - written);
  }

  /** Replace what the journal holds by these records (the others are committed to the history file). */
  rewrite(records: Iterable<EndedRecord>): void {
    this.reset();
    for (const record of records) this.append(record);
  }

  /** Empty the journal: every record in it is committed to the history file. */
  reset(): void {
    if (this.#empty) return;
    ftruncateSync(this.#fd, 0);
    this.#empty = true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** Read a journal an earlier process left (nothing when there is no file). */
export function readEndedJournal(file: string): EndedJournalContents {
  if (!existsSync(file)) return { records: [], unreadable: 0 };
  const records: EndedRecord[] = [];
  let unreadable = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    if (isRecord(value)) records.push(value);
    else unreadable++;
  }
  return { records, unreadable };
}

function isRecord(value: unknown): value is EndedRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { command_id?: unknown }).command_id === 'string'
  );
}
