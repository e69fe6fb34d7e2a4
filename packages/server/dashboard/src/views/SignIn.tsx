import { useSignal } from '@preact/signals';
import { describeError, signIn, signInNotice } from '../state/session.js';

/** The token goes from this field to memory (and sessionStorage if asked), never into a URL. */
export function SignIn() {
  const token = useSignal('');
  const keep = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!token.value.trim()) {
      error.value = 'Enter a token.';
      return;
    }
    busy.value = true;
    error.value = null;
    try {
      await signIn(token.value, keep.value);
      token.value = '';
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
  };
  return (
    <main class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title" novalidate>
        <h1 id="signin-title">
          <img src="/assets/icon.svg" alt="" width={28} height={28} /> OpenClaw Node
        </h1>
        {signInNotice.value ? (
          <p class="notice" role="status">
            {signInNotice.value}
          </p>
        ) : null}
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token.value}
          onInput={(e) => (token.value = e.currentTarget.value)}
          aria-describedby="token-hint"
          aria-invalid={error.value ? true : undefined}
          autoFocus
        />
        <p id="token-hint" class="hint">
          An API token or JWT (as for the CLI). It stays in this page's memory.
        </p>
        <label class="check">
          <input
            type="checkbox"
            checked={keep.value}
            onChange={(e) => (keep.value = e.currentTarget.checked)}
          />
          Keep me signed in in this tab (session storage, cleared when the tab closes)
        </label>
        {error.value ? (
          <p class="field-error" role="alert">
            {error.value}
          </p>
        ) : null}
        <button type="submit" disabled={busy.value}>
          {busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
