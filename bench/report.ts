import { cpus, loadavg, release, totalmem } from 'node:os';

/** One line of the benchmark table: a figure next to its reference from the same run, and its target. */
export interface Row {
  section: string;
  measure: string;
  value: string;
  /** The same-run reference the figure is read against ("" when it has none). */
  reference: string;
  /** The target in words, or "report" when the figure is only reported. */
  target: string;
  /** pass / MISS against the target; "" when there is no target; "n/a" when not measured. */
  result: '' | 'pass' | 'MISS' | 'n/a';
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10
    ? `${value.toFixed(2)} ms`
    : value < 100
      ? `${value.toFixed(1)} ms`
      : `${Math.round(value)} ms`;
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function ratio(value: number, reference: number): string {
  return `${(value / reference).toFixed(2)}×`;
}

export function verdict(ok: boolean): 'pass' | 'MISS' {
  return ok ? 'pass' : 'MISS';
}

/** The machine the figures come from (the header of the table). */
export function machineFacts(): string[] {
  const cpu = cpus();
  const [one, five] = loadavg();
  return [
    `node ${process.version} on Linux ${release()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `load average at the start ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)`,
  ];
}

/** The table, one row per figure, sections separated by a blank line. */
export function renderTable(rows: Row[]): string {
  const header = ['measure', 'value', 'reference (same run)', 'target', 'result'];
  const cells = rows.map((r) => [r.measure, r.value, r.reference, r.target, r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  let section = '';
  for (const [i, row] of rows.entries()) {
    if (row.section !== section) {
      if (section !== '') out.push('');
      out.push(`${row.section}`);
      section = row.section;
    }
    out.push(line(cells[i]!));
  }
  return out.join('\n');
}
