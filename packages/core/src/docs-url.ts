/** Where the documentation is read on a machine that has no clone: the repository's docs/ on GitHub. */
export const DOCS_BASE_URL = 'https://github.com/openclaw-node/openclaw-node/blob/main/docs';

/**
 * The web address of a page of docs/, for messages and comments that reach a workstation (which has
 * no docs/ folder).
 * @example docsUrl('agent.md') // 'https://github.com/openclaw-node/openclaw-node/blob/main/docs/agent.md'
 */
export function docsUrl(page: string): string {
  return `${DOCS_BASE_URL}/${page}`;
}
