import type { PluginAnswers } from '../answers.js';
import { envVarOf, exampleParams } from './code.js';

/** The `{{placeholders}}` the files in template/ may use. */
export function templateValues(answers: PluginAnswers): Record<string, string> {
  return {
    packageName: answers.packageName,
    pluginName: answers.pluginName,
    description: answers.description,
    action: answers.action,
    actionId: `${answers.pluginName}.${answers.action}`,
    app: answers.app,
    appEnvVar: envVarOf(answers.app),
    platforms: answers.platforms.join(', '),
    exampleParamsJson: JSON.stringify(exampleParams(answers.params)),
  };
}

/** Fill `{{name}}` placeholders; an unknown one is a bug in the template, so it throws. */
export function renderTemplate(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${file} uses an unknown placeholder {{${key}}}`);
    return value;
  });
}
