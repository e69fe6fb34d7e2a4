import type { ComponentChildren } from 'preact';
import type { JobStateName } from '@openclaw-node/client';
import { plain } from '../format.js';

export function StateBadge({ state }: { state: JobStateName }) {
  return <span class={`badge state-${state}`}>{state.replace('_', ' ')}</span>;
}

export function OnlineBadge({ online }: { online: boolean }) {
  return <span class={`badge ${online ? 'online' : 'offline'}`}>{online ? 'online' : 'offline'}</span>;
}

export function Tags({ tags }: { tags: readonly string[] }) {
  return (
    <span class="tags">
      {tags.map((tag) => (
        <span class="tag" key={tag}>
          {plain(tag)}
        </span>
      ))}
    </span>
  );
}

export function ErrorBox({ children }: { children: ComponentChildren }) {
  return (
    <div class="error-box" role="alert">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** A JSON value as indented text (never as markup). */
export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre class="json" aria-label={label} tabIndex={0}>
      {plain(JSON.stringify(value, null, 2))}
    </pre>
  );
}
