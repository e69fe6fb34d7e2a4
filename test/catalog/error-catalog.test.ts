import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_AREAS, ERROR_CODES, statusForCode, validateManifest } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';

/**
 * docs/errors.md kept honest, as Fastify keeps its Errors.md: one `### \`CODE\`` heading per code,
 * under the `##` section of its area, starting with `HTTP <status>.`; nothing documented that no
 * table declares. Core's areas come from ERROR_AREAS, each built-in plugin is a "Plugin: <name>" area.
 */
const DOC = 'docs/errors.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

interface Documented {
  code: string;
  section: string;
  status: number | undefined;
}

function documentedCodes(markdown: string): Documented[] {
  const found: Documented[] = [];
  let section = '(before any ## section)';
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const heading = /^### `([A-Z][A-Z0-9_]*)`\s*$/.exec(line);
    if (!heading) return;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '') ?? '';
    const status = /^HTTP (\d{3})\./.exec(next);
    found.push({ code: heading[1]!, section, status: status ? Number(status[1]) : undefined });
  });
  return found;
}

/** Every code a table declares: where it must be documented and with which status. */
function declaredCodes(): Map<string, { section: string; status: number }> {
  const declared = new Map<string, { section: string; status: number }>();
  for (const { title, codes } of Object.values(ERROR_AREAS)) {
    for (const [code, spec] of Object.entries(codes))
      declared.set(code, { section: title, status: spec.status });
  }
  for (const plugin of Object.values(builtinPlugins)) {
    for (const code of Object.keys(plugin.errors ?? {})) {
      declared.set(code, { section: `Plugin: ${plugin.name}`, status: statusForCode(code) });
    }
  }
  return declared;
}

const documented = documentedCodes(doc);
const declared = declaredCodes();

describe(`the error catalogue and ${DOC}`, () => {
  it('declares each core code in exactly one area of packages/core/src/errors.ts', () => {
    const perArea = Object.values(ERROR_AREAS).flatMap(({ codes }) => Object.keys(codes));
    const twice = perArea.filter((code, i) => perArea.indexOf(code) !== i);
    expect(twice, 'a code in two areas of ERROR_AREAS: keep it in one').toEqual([]);
    expect(Object.keys(ERROR_CODES).sort()).toEqual([...perArea].sort());
  });

  it('documents every declared code with a heading', () => {
    const headings = new Set(documented.map((d) => d.code));
    const missing = [...declared]
      .filter(([code]) => !headings.has(code))
      .map(([code, { section }]) => `${code}: add "### \`${code}\`" under "## ${section}" in ${DOC}`);
    expect(missing, `codes without a heading in ${DOC}`).toEqual([]);
  });

  it('documents no code that no table declares (renamed or removed)', () => {
    const stale = documented
      .filter((d) => !declared.has(d.code))
      .map(
        (d) =>
          `${d.code} (under "## ${d.section}"): not in core's ERROR_CODES nor a built-in plugin's errors`,
      );
    expect(stale, `stale headings in ${DOC}`).toEqual([]);
  });

  it('has one heading per code: the same count, no code twice', () => {
    const codes = documented.map((d) => d.code);
    expect(
      codes.filter((code, i) => codes.indexOf(code) !== i),
      'codes documented twice',
    ).toEqual([]);
    expect(documented.length).toBe(declared.size);
  });

  it("puts each code under its area's section, with the HTTP status the table gives", () => {
    const wrong = documented.flatMap((d) => {
      const want = declared.get(d.code);
      if (!want) return [];
      const problems: string[] = [];
      if (d.section !== want.section)
        problems.push(`${d.code}: under "## ${d.section}", belongs under "## ${want.section}"`);
      if (d.status !== want.status) {
        problems.push(
          `${d.code}: the heading's first line must start "HTTP ${want.status}." (has ${String(d.status)})`,
        );
      }
      return problems;
    });
    expect(wrong).toEqual([]);
  });

  it('has a section per area and no other ## section', () => {
    const sections = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
    const expected = [...new Set([...declared.values()].map((d) => d.section))];
    expect(sections.sort()).toEqual(expected.sort());
  });
});

describe("the built-in plugins' error declarations", () => {
  it('reuse no core code, and each action names only codes its plugin or core declares', () => {
    for (const plugin of Object.values(builtinPlugins)) {
      expect(() => validateManifest(toManifest(plugin)), plugin.name).not.toThrow();
    }
  });

  it('are refused in a manifest that redefines a core code or names an undeclared one', () => {
    const base = toManifest(builtinPlugins.rv!);
    expect(() => validateManifest({ ...base, errors: { NODE_BUSY: 'mine' } })).toThrow(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        details: expect.objectContaining({ field: 'manifest.errors.NODE_BUSY' }),
      }),
    );
    const [name, action] = Object.entries(base.actions)[0]!;
    expect(() =>
      validateManifest({ ...base, actions: { ...base.actions, [name]: { ...action, errors: ['RV_NOPE'] } } }),
    ).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ field: `manifest.actions.${name}.errors[0]` }),
      }),
    );
    expect(() => validateManifest({ ...base, errors: { RV_UNREACHABLE: 'rvpush failed\u001b[2J' } })).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
  });

  it('keep the HTTP status plugin codes always had: 503 for *_UNAVAILABLE, else 422', () => {
    expect(statusForCode('SG_UNAVAILABLE')).toBe(503);
    expect(statusForCode('LICENSE_UNAVAILABLE')).toBe(503);
    expect(statusForCode('RENDER_FAILED')).toBe(422);
    expect(statusForCode('CLUSTER_UNAVAILABLE')).toBe(503);
    expect(statusForCode('ACTION_UNAVAILABLE')).toBe(409);
  });
});
