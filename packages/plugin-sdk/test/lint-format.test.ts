import { describe, expect, it } from 'vitest';
import { countLintMessages, formatLintMessages, type LintMessage } from '../src/lint/index.js';

const messages: LintMessage[] = [
  {
    level: 'error',
    rule: 'path-format',
    file: '/work/hello/src/index.ts',
    field: 'actions.render.params.properties.script',
    message: 'needs format: "path"',
  },
  {
    level: 'warning',
    rule: 'result-schema',
    file: '/work/hello/src/index.ts',
    field: 'actions.render.result',
    message: 'has no result schema',
  },
  {
    level: 'warning',
    rule: 'package',
    file: '/work/hello/package.json',
    field: 'files',
    message: 'leaves out dist/index.js',
  },
];

describe('formatLintMessages', () => {
  it('groups messages by file, relative to cwd, with aligned fields and a summary', () => {
    expect(formatLintMessages(messages, { cwd: '/work/hello' })).toBe(
      [
        'src/index.ts',
        '  error    actions.render.params.properties.script  needs format: "path"  (path-format)',
        '  warning  actions.render.result                    has no result schema  (result-schema)',
        '',
        'package.json',
        '  warning  files  leaves out dist/index.js  (package)',
        '',
        '✖ 3 problems (1 error, 2 warnings)',
        '',
      ].join('\n'),
    );
  });

  it('keeps absolute paths outside cwd and says when there is nothing to report', () => {
    expect(formatLintMessages(messages.slice(0, 1), { cwd: '/elsewhere' })).toContain(
      '/work/hello/src/index.ts\n',
    );
    expect(formatLintMessages([])).toBe('✔ no problems\n');
  });

  it('colours levels only when asked', () => {
    expect(formatLintMessages(messages, { cwd: '/work/hello', color: true })).toContain('\u001b[31merror');
    expect(formatLintMessages(messages, { cwd: '/work/hello' })).not.toContain('\u001b[');
  });

  it('counts errors and warnings for the exit code', () => {
    expect(countLintMessages(messages)).toEqual({ errors: 1, warnings: 2 });
  });
});
