import { signal } from '@preact/signals';

/** The page shown, from the URL's hash (`#/jobs?state=failed`): no token or secret ever goes there. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?', 2);
  return {
    path: path
      .split('/')
      .filter(Boolean)
      .map((part) => {
        try {
          return decodeURIComponent(part);
        } catch {
          return part;
        }
      }),
    query: new URLSearchParams(query),
  };
}

export const route = signal<Route>(parse());
addEventListener('hashchange', () => (route.value = parse()));

/** `#/a/b?x=1` with every part encoded. */
export function href(path: readonly string[], query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) q.set(key, value);
  const text = q.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${text ? `?${text}` : ''}`;
}

export function navigate(to: string): void {
  location.hash = to;
}
