import { plain } from '../format.js';

/**
 * The hint under `format: "path"` fields for one node: the allowed_paths its agent reported (the agent's
 * text: control characters removed, rendered as text by the caller). Undefined when the agent did not
 * say (older agents), so the form keeps its generic hint.
 */
export function allowedPathsHint(nodeId: string, paths: readonly string[] | undefined): string | undefined {
  if (!paths) return undefined;
  const node = plain(nodeId);
  if (paths.length === 0)
    return `${node} allows no paths (its allowed_paths is empty): the agent refuses any path.`;
  return `${node} allows paths under: ${paths.map(plain).join(', ')}`;
}
