import type { PluginAnswers } from '../answers.js';
import { envVarOf, exampleArgv, exampleParams, literal, str } from './code.js';

/** The generated test/index.test.ts: ping, the argv of the run, APP_NOT_FOUND, PROCESS_FAILED, bad params. */
export function renderPluginTest(answers: PluginAnswers): string {
  const { app, action, params, pluginName } = answers;
  const appPath = `/opt/tools/${app}`;
  const argv = exampleArgv(appPath, params);
  const relativePath = params.find((spec) => spec.type === 'path' && !spec.array && spec.required);
  const lines: string[] = [
    `import { readFileSync } from 'node:fs';`,
    `import { isPluginDefinition, toManifest, type WhichResult } from '@openclaw-node/plugin-sdk';`,
    `import { runAction } from '@openclaw-node/plugin-sdk/testing';`,
    `import { describe, expect, it } from 'vitest';`,
    `import plugin from '../src/index.js';`,
    ``,
    `/** What ctx.which answers when ${app} is installed, and when it is not. */`,
    `const installed: WhichResult = { path: ${str(appPath)}, source: 'config', searched: [${str(appPath)}] };`,
    `const missing: WhichResult = { path: null, source: null, searched: [${str(`$${envVarOf(app)} (unset)`)}, ${str(`${app} on PATH`)}] };`,
    ``,
    `const params = ${literal(exampleParams(params))};`,
    ``,
    `describe(${str(`${pluginName} plugin`)}, () => {`,
    `  it('is a plugin an agent can load', () => {`,
    `    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };`,
    `    expect(isPluginDefinition(plugin)).toBe(true);`,
    `    expect(plugin.version).toBe(pkg.version);`,
    `    expect(Object.keys(toManifest(plugin).actions)).toEqual([${str(action)}, 'ping']);`,
    `  });`,
    ``,
    `  it('answers ping', async () => {`,
    `    const recording = await runAction(plugin, 'ping', { platform: 'linux' });`,
    `    expect(recording.error).toBeUndefined();`,
    `    expect(recording.result).toEqual({ ok: true, available: true, plugin: ${str(pluginName)}, version: plugin.version, platform: 'linux' });`,
    `  });`,
    ``,
    `  it(${str(`runs ${app} with the params as arguments`)}, async () => {`,
    `    const recording = await runAction(plugin, ${str(action)}, {`,
    `      params,`,
    `      onWhich: () => installed,`,
    `      onRun: () => ({ exitCode: 0, stdout: 'done\\n' }),`,
    `    });`,
    `    expect(recording.error).toBeUndefined();`,
    `    expect(recording.runs.map((call) => [call.file, ...call.args])).toEqual([`,
    ...argvLines(argv),
    `    ]);`,
    `    expect(recording.result).toEqual({ exit_code: 0, output: 'done' });`,
    `    expect(recording.progress.at(-1)).toEqual({ fraction: 1, message: 'done' });`,
    `  });`,
    ``,
    `  it(${str(`fails with APP_NOT_FOUND when ${app} is not installed`)}, async () => {`,
    `    const recording = await runAction(plugin, ${str(action)}, { params, onWhich: () => missing });`,
    `    expect(recording.error).toMatchObject({ code: 'APP_NOT_FOUND' });`,
    `    expect(recording.runs).toHaveLength(0);`,
    `  });`,
    ``,
    `  it(${str(`fails with PROCESS_FAILED when ${app} exits with an error`)}, async () => {`,
    `    const recording = await runAction(plugin, ${str(action)}, {`,
    `      params,`,
    `      onWhich: () => installed,`,
    `      onRun: () => ({ exitCode: 3, stderr: 'something went wrong' }),`,
    `    });`,
    `    expect(recording.error).toMatchObject({ code: 'PROCESS_FAILED', details: { exit_code: 3, stderr: 'something went wrong' } });`,
    `  });`,
    ``,
    `  it('rejects params the schema does not allow, before running anything', async () => {`,
    `    const recording = await runAction(plugin, ${str(action)}, { params: { ...params, unexpected: true }, onWhich: () => installed });`,
    `    expect(recording.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.unexpected' } });`,
    `    expect(recording.runs).toHaveLength(0);`,
    `  });`,
  ];
  if (relativePath) {
    lines.push(
      ``,
      `  it('accepts only absolute paths where the schema says format: "path"', async () => {`,
      `    const recording = await runAction(plugin, ${str(action)}, { params: { ...params, ${relativePath.name}: 'relative/path' } });`,
      `    expect(recording.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: ${str(`params.${relativePath.name}`)} } });`,
      `  });`,
    );
  }
  lines.push(`});`, ``);
  return lines.join('\n');
}

/** The expected argv, one line if short, else one element per line. */
function argvLines(argv: readonly string[]): string[] {
  const oneLine = `      ${literal(argv)},`;
  if (oneLine.length <= 100) return [oneLine];
  return [`      [`, ...argv.map((item) => `        ${literal(item)},`), `      ],`];
}
