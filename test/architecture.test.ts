import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = readdirSync(path.join(ROOT, 'packages')).filter((name) =>
  existsSync(path.join(ROOT, 'packages', name, 'src')),
);

/** Paths in ARCHITECTURE.md are from the repository root, or relative to the folder of the step they are in. */
const BASES = ['', 'packages/server/src', 'packages/server/src/security', 'packages/agent/src'];

function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.replace(/ \(root\)$/, ''));
  return spans.filter((s) => /^[\w.-]+(\/[\w.-]*)+$/.test(s) || /^[\w-]+\.ts$/.test(s));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** Relative imports of every file (type-only and dynamic ones too), resolved to files. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => {
        const base = path.resolve(path.dirname(file), spec);
        return [
          base.replace(/\.js$/, '.ts'),
          base.replace(/\.js$/, '.tsx'),
          `${base}.ts`,
          path.join(base, 'index.ts'),
        ].find((c) => existsSync(c) && statSync(c).isFile());
      })
      .filter((t): t is string => t !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** One cycle per strongly connected part found by a depth-first search, as a readable chain. */
function findCycles(graph: Map<string, string[]>, root: string): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        cycles.push(
          [...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(root, f)).join(' → '),
        );
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('ARCHITECTURE.md', () => {
  const page = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');

  it('names only paths that exist', () => {
    const named = namedPaths(page);
    expect(named.length).toBeGreaterThan(30);
    const missing = named.filter((p) => !BASES.some((base) => existsSync(path.join(ROOT, base, p))));
    expect(missing, 'paths in ARCHITECTURE.md that are gone').toEqual([]);
  });

  it('lists every package and every folder of the server', () => {
    for (const name of PACKAGES) expect(page).toContain(`\`packages/${name}\``);
    const serverDirs = readdirSync(path.join(ROOT, 'packages/server/src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `\`packages/server/src/${e.name}\``);
    for (const dir of serverDirs) expect(page).toContain(dir);
  });

  it('keeps the server folder by domain: a handful of entry files at its root', () => {
    const rootFiles = readdirSync(path.join(ROOT, 'packages/server/src'), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    expect(rootFiles).toEqual(['data-dir.ts', 'index.ts', 'options.ts', 'server.ts']);
  });
});

describe('import cycles', () => {
  it.each(PACKAGES)('packages/%s/src has none', (name) => {
    const dir = path.join(ROOT, 'packages', name, 'src');
    expect(findCycles(importGraph(dir), dir)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(
      findCycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
        '/x',
      ),
    ).toEqual(['a.ts → b.ts → a.ts']);
  });
});
