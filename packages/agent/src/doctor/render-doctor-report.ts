import type { DoctorReport, DoctorStatus } from './doctor-report.js';

export interface RenderDoctorReportOptions {
  colors?: boolean;
}

const TAGS: Record<DoctorStatus, { text: string; color: string }> = {
  ok: { text: 'ok  ', color: '32' },
  warn: { text: 'warn', color: '33' },
  fail: { text: 'FAIL', color: '31' },
};

/**
 * The report as a person reads it: one line per check, its fix indented below, then a summary.
 * @example stdout.write(renderDoctorReport(await runDoctor(), { colors: stdout.isTTY }))
 */
export function renderDoctorReport(report: DoctorReport, options: RenderDoctorReportOptions = {}): string {
  const paint = (code: string, text: string) => (options.colors ? `\u001b[${code}m${text}\u001b[39m` : text);
  const dim = (text: string) => (options.colors ? `\u001b[2m${text}\u001b[22m` : text);
  const width = Math.min(32, Math.max(...report.checks.map((c) => c.title.length), 0));
  const lines = [`OpenClaw agent doctor${report.config ? ` (${report.config})` : ''}`, ''];
  for (const item of report.checks) {
    const tag = TAGS[item.status];
    lines.push(`  ${paint(tag.color, tag.text)}  ${item.title.padEnd(width)}  ${item.detail}`);
    if (item.fix) lines.push(`        ${' '.repeat(width)}  ${dim('fix:')} ${item.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  if (failed === 0 && warned === 0) lines.push(paint('32', 'Everything looks good.'));
  else {
    const parts = [
      failed > 0 ? paint('31', `${failed} problem${failed === 1 ? '' : 's'}`) : '',
      warned > 0 ? paint('33', `${warned} warning${warned === 1 ? '' : 's'}`) : '',
    ].filter(Boolean);
    lines.push(
      `${parts.join(', ')}.${failed > 0 ? ' The agent cannot work until the problems are fixed.' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
