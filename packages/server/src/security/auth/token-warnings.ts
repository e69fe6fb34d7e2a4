import { RECOMMENDED_TOKEN_LENGTH, isFullAccess, type TokenEntry } from './token-entry.js';

/**
 * What a security review would flag in a token list, as log-ready sentences: full-access tokens
 * (from the environment or legacy file entries), short tokens, agent tokens bound to no node.
 */
export function tokenWarnings(entries: readonly TokenEntry[]): string[] {
  const warnings: string[] = [];
  const full = entries.filter(isFullAccess).map((e) => e.name);
  if (full.length > 0) {
    warnings.push(
      `${full.length} token${full.length === 1 ? ' has' : 's have'} full access (${full.join(', ')}): ` +
        'each can connect as any node id and call every route. Prefer scoped entries in OPENCLAW_TOKENS_FILE ' +
        '(openclaw token create --name <name> --role agent --nodes <node-id>)',
    );
  }
  const short = entries.filter((e) => e.token !== undefined && e.token.length < RECOMMENDED_TOKEN_LENGTH);
  if (short.length > 0) {
    warnings.push(
      `token${short.length === 1 ? '' : 's'} ${short.map((e) => e.name).join(', ')} ` +
        `${short.length === 1 ? 'is' : 'are'} shorter than ${RECOMMENDED_TOKEN_LENGTH} characters; openclaw token create makes 43`,
    );
  }
  const unbound = entries
    .filter((e) => e.roles?.includes('agent') && e.nodes === undefined)
    .map((e) => e.name);
  if (unbound.length > 0) {
    warnings.push(
      `agent token${unbound.length === 1 ? '' : 's'} ${unbound.join(', ')} may connect as any node id: ` +
        'bind each to its workstation with nodes: [<node-id>]',
    );
  }
  return warnings;
}
