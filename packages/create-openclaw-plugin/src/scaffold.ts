import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PluginAnswers } from './answers.js';
import { isEmptyDir } from './empty-dir.js';
import { ScaffoldError } from './errors.js';
import { renderPackageJson } from './render/package-json.js';
import { renderPluginSource } from './render/plugin-source.js';
import { renderPluginTest } from './render/plugin-test.js';
import { renderTemplate, templateValues } from './render/template-values.js';
import { findTemplateDir } from './template-dir.js';

/** Template files npm would drop or mangle are stored under another name. */
const RENAMED: Record<string, string> = { _gitignore: '.gitignore' };

/** What was written. */
export interface ScaffoldResult {
  dir: string;
  /** Relative paths, `/`-separated, sorted. */
  files: string[];
}

/**
 * Write a plugin package into `answers.targetDir`: the template files with their placeholders
 * filled in, plus package.json, src/index.ts and test/index.test.ts generated from the answers.
 * @example await scaffoldPlugin({ ...answers, targetDir: '/tmp/houdini' })
 */
export async function scaffoldPlugin(
  answers: PluginAnswers,
  templateDir: string = findTemplateDir(),
): Promise<ScaffoldResult> {
  if (!answers.force && !(await isEmptyDir(answers.targetDir))) {
    throw new ScaffoldError(
      '--dir',
      `${answers.targetDir} is not empty: pass --force to overwrite its files`,
    );
  }
  const values = templateValues(answers);
  const files = new Map<string, string>();
  for (const relative of await listFiles(templateDir)) {
    const target = relative
      .split('/')
      .map((segment) => RENAMED[segment] ?? segment)
      .join('/');
    files.set(
      target,
      renderTemplate(await readFile(path.join(templateDir, relative), 'utf8'), values, relative),
    );
  }
  files.set('package.json', renderPackageJson(answers));
  files.set('src/index.ts', renderPluginSource(answers));
  files.set('test/index.test.ts', renderPluginTest(answers));

  for (const [relative, content] of files) {
    const target = path.join(answers.targetDir, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return { dir: answers.targetDir, files: [...files.keys()].sort() };
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out.sort();
}
