import { execa } from 'execa';
import type {
  CommandResult,
  CommandRunner,
  PlanServiceOptions,
  ServicePlatform,
} from '../../src/service/index.js';

/** Paths with spaces, `%`, `&`, `<`, `"` and `$`: everything a quoting bug would trip over. */
export function awkwardOptions(platform: ServicePlatform): PlanServiceOptions {
  if (platform === 'windows') {
    return {
      platform,
      user: 'STUDIO\\ana',
      home: 'C:\\Users\\ana',
      nodeExecutable: 'C:\\Program Files\\nodejs\\node.exe',
      agentEntry: 'C:\\Program Files\\OpenClaw & Co\\agent\\dist\\bin.js',
      configPath: 'C:\\Users\\ana\\100% <cfg> "x"\\node_config.yaml',
    };
  }
  const home = platform === 'darwin' ? '/Users/ana' : '/home/ana';
  return {
    platform,
    uid: 501,
    home,
    nodeExecutable: '/opt/node 20/bin/node',
    agentEntry: '/opt/open claw/agent/dist/bin.js',
    configPath: `${home}/100% <cfg> & "x" $HOME\\/node_config.yaml`,
    env: { OPENCLAW_LOG_LEVEL: 'debug' },
  };
}

/** Run a Python snippet with `input` on stdin and parse the JSON it prints; null without python3. */
export async function python(script: string, input: string | Buffer): Promise<unknown> {
  const result = await execa('python3', ['-c', script], { input, reject: false, encoding: 'utf8' });
  if (result.exitCode === undefined) return null;
  if (result.exitCode !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

export async function hasPython(): Promise<boolean> {
  const result = await execa('python3', ['-c', 'import plistlib, xml.etree.ElementTree'], { reject: false });
  return result.exitCode === 0;
}

/** A runner that records every argv and answers from a script (default: success, no output). */
export function recordingRunner(
  answer: (argv: string[]) => Partial<CommandResult> | undefined = () => undefined,
): {
  run: CommandRunner;
  calls: string[][];
} {
  const calls: string[][] = [];
  const run: CommandRunner = async (argv) => {
    calls.push(argv);
    return { exitCode: 0, stdout: '', stderr: '', ...answer(argv) };
  };
  return { run, calls };
}

/**
 * Split a Windows command line as CommandLineToArgvW and the MSVC runtime do (the rules node.exe
 * uses for process.argv): 2n backslashes + quote → n backslashes and a quote toggle; 2n+1 → n and a
 * literal quote; other backslashes are literal; `""` inside quotes is a literal quote.
 */
export function parseWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\') {
      let count = 0;
      while (line[i + count] === '\\') count++;
      if (line[i + count] === '"') {
        current += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
        i += count;
      } else {
        current += '\\'.repeat(count);
        i += count - 1;
      }
      started = true;
    } else if (char === '"') {
      if (inQuotes && line[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        inQuotes = !inQuotes;
      }
      started = true;
    } else if ((char === ' ' || char === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}
