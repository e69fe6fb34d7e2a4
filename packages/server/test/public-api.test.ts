import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as server from '@openclaw-node/server';

// The package's exports are its README's API section, name for name: a new export is documented, and
// a documented name is really exported.

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const indexFile = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The names listed as `- \`name…\`` under `### heading` inside `## API`. */
function documented(heading: string): string[] {
  const api = readme.split(/^## /m).find((section) => section.startsWith('API\n'));
  if (api === undefined) throw new Error('README.md has no "## API" section');
  const section = api.split(/^### /m).find((part) => part.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`README.md's API section has no "### ${heading}"`);
  return [...section.matchAll(/^- `([A-Za-z_$][\w$]*)/gm)].map((match) => match[1]!);
}

/** The type-only exports of src/index.ts, as the compiler sees them. */
function exportedTypes(): string[] {
  const program = ts.createProgram([indexFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['@openclaw-node/source'],
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(indexFile)!)!;
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) === 0;
    })
    .map((symbol) => symbol.name);
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('@openclaw-node/server public API', () => {
  it('exports at runtime exactly the functions, classes and constants README.md documents', () => {
    const names = documented('Functions, classes and constants');
    expect(new Set(names).size).toBe(names.length);
    expect(sorted(Object.keys(server))).toEqual(sorted(names));
  });

  it('exports exactly the types README.md documents', () => {
    const names = documented('Types');
    expect(new Set(names).size).toBe(names.length);
    expect(sorted(exportedTypes())).toEqual(sorted(names));
  });
});
