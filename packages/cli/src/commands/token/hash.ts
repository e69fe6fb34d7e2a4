import { Command, Option, UsageError } from '../../clipanion.js';
import { OpenClawCommand } from '../openclaw-command.js';
import { importServer } from '../../server-module.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** `openclaw token hash`: the SHA-256 of a token read from standard input, for a tokens-file `sha256:` entry. */
export class TokenHashCommand extends OpenClawCommand {
  static override paths = [['token', 'hash']];

  static override usage = Command.Usage({
    category: 'Security',
    description: 'Print the SHA-256 of a token read from standard input',
    details: `
      Reads one token from standard input (never from the command line, where other users of the machine could see it in the process list) and prints its SHA-256 as the \`sha256:\` value of a tokens-file entry. Use it to move existing tokens out of the file.
    `,
    examples: [['Hash the token in a file', '$0 token hash < ws-042.token']],
  });

  name = Option.String('--name', { description: 'Print a whole entry with this name and --role' });
  roles = Option.Array('--role', { description: 'Roles of the printed entry' });

  async run(): Promise<number> {
    const { MIN_TOKEN_LENGTH, sha256Hex } = await importServer();
    const token = (await readAll(this.context.stdin)).trim();
    if (token === '')
      throw new UsageError('No token on standard input: pipe it in, e.g. openclaw token hash < token.txt');
    if (/\s/.test(token)) throw new UsageError('Standard input holds more than one word: give one token');
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new UsageError(
        `The token is ${token.length} characters; the server accepts tokens of at least ${MIN_TOKEN_LENGTH}`,
      );
    }
    const digest = sha256Hex(token);
    if (this.name === undefined) {
      this.out(digest);
      return 0;
    }
    const roles = (this.roles ?? [])
      .flatMap((r) => r.split(','))
      .map((r) => r.trim())
      .filter(Boolean);
    this.out(
      [
        `  - name: ${JSON.stringify(this.name)}`,
        `    sha256: "${digest}"`,
        `    roles: [${roles.join(', ')}]`,
      ].join('\n'),
    );
    return 0;
  }
}
