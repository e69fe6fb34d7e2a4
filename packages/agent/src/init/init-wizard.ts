import { isAbsolutePathValue, isOpenClawError, OpenClawError, type Platform } from '@openclaw-node/core';
import type { PluginAppStatus } from '../doctor/detect-apps.js';
import {
  nodeIdProblem,
  normalizeServerAddress,
  serverAddressProblem,
  splitList,
  type InitValues,
} from './init-values.js';
import type { InitPrompter, PromptOption } from './prompter.js';
import { connectionProblem, describeConnection, type ConnectionCheck } from './verify-connection.js';

/** What the wizard starts from and how it reaches the outside world. */
export interface InitWizardContext {
  prompter: InitPrompter;
  platform: Platform;
  /** The file it will write, and whether it exists already. */
  file: string;
  exists: boolean;
  /** Defaults from flags, the existing file or the host; `fixed` ones were given as flags and are not asked. */
  defaults: Partial<InitValues>;
  fixed: ReadonlySet<keyof InitValues>;
  /** True when the existing file already holds a token (Enter keeps it). */
  hasToken: boolean;
  /** Every plugin that can be chosen. */
  pluginNames: readonly string[];
  /** Started before the first question; resolves with each plugin's app status. */
  detection: Promise<PluginAppStatus[]>;
  /** The connection test, or null for --no-verify. */
  verify:
    ((values: Pick<InitValues, 'server_url' | 'auth_token' | 'node_id'>) => Promise<ConnectionCheck>) | null;
  /** Warns about allowed paths that do not exist here. */
  missingPaths: (paths: readonly string[]) => Promise<string[]>;
}

/** The answers, and the connection test that passed (null when skipped or saved anyway). */
export interface InitWizardResult {
  values: InitValues;
  connection: ConnectionCheck | null;
  apps: PluginAppStatus[];
}

/**
 * Ask for the node id, server, token, plugins (pre-selected where their application was found) and
 * allowed paths, test the connection before anything is saved, and confirm. Throws CANCELLED when the
 * user stops it.
 */
export async function runInitWizard(context: InitWizardContext): Promise<InitWizardResult> {
  const { prompter, defaults, fixed } = context;
  prompter.intro('OpenClaw Node agent setup');
  if (context.exists) prompter.info(`Current settings from ${context.file} are the defaults.`);

  const node_id = fixed.has('node_id')
    ? defaults.node_id!
    : await prompter.text({
        message: 'Node id (how the server names this workstation)',
        ...(defaults.node_id !== undefined ? { initialValue: defaults.node_id } : {}),
        placeholder: 'ws-042',
        validate: (value) => nodeIdProblem(value.trim()),
      });

  let server_url = defaults.server_url;
  let auth_token = defaults.auth_token;
  let connection: ConnectionCheck | null = null;
  for (let attempt = 0; ; attempt++) {
    if (!fixed.has('server_url') || attempt > 0) {
      const answer = await prompter.text({
        message: 'Server address',
        ...(server_url !== undefined ? { initialValue: server_url } : {}),
        placeholder: 'ws://pipeline-server:8765/ws',
        validate: serverAddressProblem,
      });
      server_url = normalizeServerAddress(answer);
    }
    if (!fixed.has('auth_token') || attempt > 0) {
      const keep = auth_token !== undefined && (context.hasToken || attempt > 0);
      const answer = await prompter.password({
        message: keep ? 'Token (Enter keeps the current one)' : 'Token (from whoever runs the server)',
        allowEmpty: keep,
      });
      if (answer !== '') auth_token = answer;
    }
    if (!context.verify) break;
    const spin = prompter.spinner();
    spin.start(`Testing the connection to ${server_url}`);
    let problem: string;
    try {
      const check = await context.verify({ server_url: server_url!, auth_token: auth_token!, node_id });
      if (check.ok) {
        spin.stop(`Connected: ${describeConnection(check, node_id)}`);
        connection = check;
        break;
      }
      problem = connectionProblem(check);
    } catch (error) {
      // A `${VAR}` token whose variable is not set cannot be tested.
      if (!isOpenClawError(error)) throw error;
      problem = error.message;
    }
    spin.error('The connection test failed');
    prompter.error(problem);
    const next = await prompter.select<'retry' | 'save' | 'cancel'>({
      message: 'What now?',
      options: [
        { value: 'retry', label: 'Change the server address or the token' },
        { value: 'save', label: 'Save anyway', hint: 'the agent will not connect until this is fixed' },
        { value: 'cancel', label: 'Cancel', hint: 'write nothing' },
      ],
      initialValue: 'retry',
    });
    if (next === 'save') break;
    if (next === 'cancel') {
      prompter.outro('Cancelled: nothing was written.');
      throw cancelled();
    }
  }

  const apps = await detect(context);
  // Plugins of the existing file that are not built in stay on offer (and selected).
  const names = [...new Set([...context.pluginNames, ...(defaults.plugins ?? [])])];
  const plugins = fixed.has('plugins')
    ? defaults.plugins!
    : sortLike(
        names,
        await prompter.multiselect<string>({
          message: 'Plugins to enable (space toggles, enter confirms)',
          options: pluginOptions(names, apps),
          initialValues: defaults.plugins ?? apps.filter((a) => a.available === true).map((a) => a.entry),
        }),
      );

  let allowed_paths = defaults.allowed_paths ?? [];
  for (let asked = false; !fixed.has('allowed_paths') && !asked;) {
    const answer = await prompter.text({
      message: 'Folders actions may use (absolute, comma-separated; empty allows none)',
      initialValue: allowed_paths.join(', '),
      placeholder:
        context.platform === 'windows' ? 'P:\\projects, D:\\renders' : '/mnt/projects, /mnt/renders',
      validate: (value) => {
        const bad = splitList(value).find((entry) => !isAbsolutePathValue(entry));
        return bad === undefined ? undefined : `${bad} is not an absolute path`;
      },
    });
    allowed_paths = splitList(answer);
    // A folder that is not here is a typo more often than a share mounted later: ask.
    const missing = await context.missingPaths(allowed_paths);
    asked =
      missing.length === 0 ||
      (await prompter.confirm({
        message: `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist on this workstation (yet); actions cannot use ${missing.length === 1 ? 'it' : 'them'} until then. Keep ${missing.length === 1 ? 'it' : 'them'}?`,
        initialValue: false,
      }));
  }
  if (fixed.has('allowed_paths')) {
    for (const missing of await context.missingPaths(allowed_paths)) {
      prompter.warn(
        `${missing} does not exist on this workstation (yet); actions cannot use it until it does.`,
      );
    }
  }

  const values: InitValues = {
    node_id,
    server_url: server_url!,
    auth_token: auth_token!,
    plugins,
    allowed_paths,
  };
  prompter.note(summary(values), context.file);
  const write = await prompter.confirm({
    message: context.exists
      ? `Update ${context.file}? (comments and other settings are kept)`
      : `Write ${context.file}?`,
    initialValue: true,
  });
  if (!write) {
    prompter.outro('Nothing was written.');
    throw cancelled();
  }
  return { values, connection, apps };
}

async function detect(context: InitWizardContext): Promise<PluginAppStatus[]> {
  if (context.fixed.has('plugins')) return context.detection.catch(() => []);
  const spin = context.prompter.spinner();
  spin.start('Looking for applications');
  try {
    const apps = await context.detection;
    const found = apps.filter((a) => a.available === true).length;
    spin.stop(`Found ${found} of ${apps.length} applications`);
    return apps;
  } catch (error) {
    spin.error(`Could not look for applications: ${isOpenClawError(error) ? error.message : String(error)}`);
    return [];
  }
}

function pluginOptions(names: readonly string[], apps: PluginAppStatus[]): PromptOption<string>[] {
  const width = Math.max(...names.map((name) => name.length));
  return names.map((name) => {
    const app = apps.find((a) => a.entry === name);
    // In the label, not the hint: clack shows a hint only for the option under the cursor.
    let status = 'not checked';
    if (app && !app.loaded) status = app.reason ?? 'cannot load here';
    else if (app?.available === true)
      status = app.app ? `found ${app.app.path}${app.app.version ? ` ${app.app.version}` : ''}` : 'available';
    else if (app?.available === false) status = `not found${app.reason ? `: ${app.reason}` : ''}`;
    else if (app) status = app.reason ?? 'could not tell';
    const label = `${name.padEnd(width)}  ${status}`;
    return { value: name, label: label.length > 100 ? `${label.slice(0, 99)}…` : label };
  });
}

function sortLike(order: readonly string[], chosen: readonly string[]): string[] {
  return [...chosen].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function summary(values: InitValues): string {
  return [
    `node_id:       ${values.node_id}`,
    `server_url:    ${values.server_url}`,
    `auth_token:    ${values.auth_token.startsWith('${') ? values.auth_token : '(hidden)'}`,
    `plugins:       ${values.plugins.join(', ') || '(none)'}`,
    `allowed_paths: ${values.allowed_paths.join(', ') || '(none: no path allowed)'}`,
  ].join('\n');
}

function cancelled(): OpenClawError {
  return new OpenClawError('CANCELLED', 'cancelled: nothing was written');
}
