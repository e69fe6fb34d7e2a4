import type { PluginAnswers } from '../answers.js';
import type { ParamSpec } from '../param-spec.js';
import { envVarOf, flagOf, humanize, str } from './code.js';

/** The generated src/index.ts: the first action (runs the app with the params as flags) and a ping. */
export function renderPluginSource(answers: PluginAnswers): string {
  const { app, action, params, pluginName } = answers;
  const required = params.filter((p) => p.required).map((p) => str(p.name));
  const lines: string[] = [
    `import {`,
    `  OpenClawError,`,
    `  defineAction,`,
    `  defineConfig,`,
    `  definePlugin,`,
    `  requireApp,`,
    `  type ActionContext,`,
    `  type ConfigOf,`,
    `} from '@openclaw-node/plugin-sdk';`,
    ``,
    `/** The plugin's version, as in package.json (a test keeps the two equal). */`,
    `const VERSION = '0.1.0';`,
    ``,
    `/**`,
    ` * \`plugin_config.${pluginName}\` in the agent's node_config.yaml. The agent validates it once, at load:`,
    ` * a wrong key or type is CONFIG_INVALID naming \`plugin_config.${pluginName}.<key>\`. \`ctx.config\` is typed`,
    ` * from this schema in every action that names \`config\`; a \`default\` makes a key always present.`,
    ` */`,
    `const config = defineConfig({`,
    `  type: 'object',`,
    `  additionalProperties: false,`,
    `  properties: {`,
    `    path: { type: 'string', minLength: 1, description: ${str(`The ${app} executable`)} },`,
    `  },`,
    `});`,
    ``,
    `/**`,
    ` * Find ${app}: \`plugin_config.${pluginName}.path\`, then $${envVarOf(app)}, then PATH. Add \`locations\``,
    ` * (install folders per platform, \`*\` matches version folders) as needed.`,
    ` */`,
    `async function findApp(ctx: ActionContext<ConfigOf<typeof config>>): Promise<string> {`,
    `  const configPath = ctx.config.path;`,
    `  return requireApp(${str(app)}, await ctx.which({ names: [${str(app)}], configPath, envVars: [${str(envVarOf(app))}] }));`,
    `}`,
    ``,
    `const ${variableOf(action)} = defineAction({`,
    `  config,`,
    `  description: ${str(`${humanize(action)} with ${app}`)},`,
    `  params: {`,
    `    type: 'object',`,
    `    additionalProperties: false,`,
    ...(required.length > 0 ? [`    required: [${required.join(', ')}],`] : []),
    ...(params.length === 0
      ? [`    properties: {},`]
      : [
          `    properties: {`,
          ...params.flatMap((spec, index) =>
            propertyLines(spec, params.findIndex((p) => p.type === 'string') === index).map(
              (line) => `      ${line}`,
            ),
          ),
          `    },`,
        ]),
    `  },`,
    `  result: {`,
    `    type: 'object',`,
    `    additionalProperties: false,`,
    `    required: ['exit_code', 'output'],`,
    `    properties: {`,
    `      exit_code: { type: 'integer', description: ${str(`The exit code of ${app}`)} },`,
    `      output: { type: 'string', description: ${str(`What ${app} printed on stdout, trimmed`)} },`,
    `    },`,
    `  },`,
    `  async run(params, ctx) {`,
    `    const app = await findApp(ctx);`,
    `    const args: string[] = [];`,
    ...params.map((spec) => `    ${argvLine(spec)}`),
    `    ctx.progress(0, \`starting \${app}\`);`,
    `    // An argument array, never a shell: the run is killed if the job is cancelled or times out.`,
    `    const result = await ctx.run(app, args);`,
    `    if (result.exitCode !== 0) {`,
    `      throw new OpenClawError('PROCESS_FAILED', \`${app} exited with \${result.exitCode ?? result.signal}\`, {`,
    `        details: { command: result.command, exit_code: result.exitCode, stderr: result.stderr.slice(-2000) },`,
    `      });`,
    `    }`,
    `    ctx.progress(1, 'done');`,
    `    return { exit_code: result.exitCode, output: result.stdout.trim() };`,
    `  },`,
    `});`,
    ``,
    `const ping = defineAction({`,
    `  description: 'Check that the plugin is loaded and answering',`,
    `  params: { type: 'object', additionalProperties: false, properties: {} },`,
    `  result: {`,
    `    type: 'object',`,
    `    additionalProperties: false,`,
    `    required: ['ok', 'available', 'plugin', 'version', 'platform'],`,
    `    properties: {`,
    `      ok: { type: 'boolean', description: 'Always true' },`,
    `      available: { type: 'boolean', description: 'Whether this plugin can run here (agent doctor and the health checks read it)' },`,
    `      plugin: { type: 'string', description: 'The plugin name' },`,
    `      version: { type: 'string', description: 'The plugin version' },`,
    `      platform: { type: 'string', description: 'The platform of the node that answered' },`,
    `    },`,
    `  },`,
    `  run: (_params, ctx) => ({`,
    `    ok: true,`,
    `    available: true,`,
    `    plugin: ${str(pluginName)},`,
    `    version: VERSION,`,
    `    platform: ctx.platform,`,
    `  }),`,
    `});`,
    ``,
    `/** The agent imports this package and takes its default export. */`,
    `export default definePlugin({`,
    `  name: ${str(pluginName)},`,
    `  version: VERSION,`,
    `  description: ${str(answers.description)},`,
    `  platforms: [${answers.platforms.map(str).join(', ')}],`,
    `  config,`,
    `  actions: { ${action}: ${variableOf(action)}, ping },`,
    `});`,
    ``,
  ];
  return lines.join('\n');
}

/** `submit_job` → `submitJobAction`, the variable holding the action (never clashes with an import). */
export function variableOf(name: string): string {
  return `${name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}Action`;
}

function itemSchema(spec: ParamSpec): string {
  switch (spec.type) {
    case 'path':
      return `type: 'string', format: 'path'`;
    case 'string':
      return `type: 'string', pattern: '^[^-]', maxLength: 1024`;
    case 'integer':
    case 'number':
    case 'boolean':
      return `type: '${spec.type}'`;
  }
}

function propertyLines(spec: ParamSpec, firstString: boolean): string[] {
  const description = str(
    spec.type === 'path'
      ? `${humanize(spec.name)}: an absolute path on the workstation`
      : humanize(spec.name),
  );
  const lines: string[] = [];
  if (firstString) {
    lines.push(
      `// No leading "-", so the program never reads the value as a flag; tighten it to what the program accepts.`,
    );
  }
  if (spec.array) {
    lines.push(
      `${spec.name}: { type: 'array', minItems: 1, items: { ${itemSchema(spec)} }, description: ${description} },`,
    );
  } else {
    const defaulted = spec.type === 'boolean' && !spec.required ? ', default: false' : '';
    lines.push(`${spec.name}: { ${itemSchema(spec)}${defaulted}, description: ${description} },`);
  }
  return lines;
}

function argvLine(spec: ParamSpec): string {
  const flag = str(flagOf(spec.name));
  const value = (expr: string): string =>
    spec.type === 'string' || spec.type === 'path' ? expr : `String(${expr})`;
  if (spec.array) {
    const source = spec.required ? `params.${spec.name}` : `params.${spec.name} ?? []`;
    return spec.type === 'boolean'
      ? `for (const item of ${source}) if (item) args.push(${flag});`
      : `for (const item of ${source}) args.push(${flag}, ${value('item')});`;
  }
  if (spec.type === 'boolean') return `if (params.${spec.name}) args.push(${flag});`;
  if (spec.required) return `args.push(${flag}, ${value(`params.${spec.name}`)});`;
  return `if (params.${spec.name} !== undefined) args.push(${flag}, ${value(`params.${spec.name}`)});`;
}
