import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCS_BASE_URL } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';

// A workstation has the packages, not the repository: what the agent and the CLI print or write
// (config comments, doctor fixes, warnings, help) points to a web page, never to a docs/ file.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'packages'], {
  cwd: repoRoot,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /^packages\/[^/]+\/src\/.*\.ts$/.test(file));

/** Lines of code (not comments) that name a docs/ page as a path. */
function docsPathsIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .filter((line) => /(^|[^/\w])docs\/[\w/-]+\.md/.test(line));
}

describe('what reaches a workstation links to the web docs', () => {
  it('the checker finds a bare docs/ path and lets a comment or a URL pass', () => {
    expect(docsPathsIn("  fix: 'see docs/agent.md',")).toHaveLength(1);
    expect(docsPathsIn('  // see docs/agent.md')).toEqual([]);
    expect(docsPathsIn(`  fix: '${DOCS_BASE_URL}/agent.md',`)).toEqual([]);
  });

  it('no source string names a docs/ file', () => {
    expect(sources.length).toBeGreaterThan(100);
    const found = sources.flatMap((file) =>
      docsPathsIn(readFileSync(path.join(repoRoot, file), 'utf8')).map((line) => `${file}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('every docsUrl() names a page (and heading) that exists in docs/', () => {
    const pages = sources.flatMap((file) =>
      [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/docsUrl\('([^']+)'\)/g)].map(
        (m) => m[1]!,
      ),
    );
    expect(pages.length).toBeGreaterThan(5);
    for (const page of new Set(pages)) {
      const [file, anchor] = page.split('#');
      const doc = path.join(repoRoot, 'docs', file!);
      expect(existsSync(doc), page).toBe(true);
      if (anchor) {
        const headings = [...readFileSync(doc, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
          m[1]!
            .toLowerCase()
            .replace(/[^\w\s-]/g, '')
            .replace(/\s+/g, '-'),
        );
        expect(headings, page).toContain(anchor);
      }
    }
  });
});
