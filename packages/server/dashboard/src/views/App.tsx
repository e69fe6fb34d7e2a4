import { useEffect } from 'preact/hooks';
import { session, signOut } from '../state/session.js';
import { route } from '../state/router.js';
import { startLive } from '../state/live.js';
import { fleetState } from '../state/fleet.js';
import { SignIn } from './SignIn.js';
import { FleetPage } from './FleetPage.js';
import { NodePage } from './NodePage.js';
import { RunPage } from './RunPage.js';
import { JobsPage } from './JobsPage.js';
import { JobPage } from './JobPage.js';

export function App() {
  const current = session.value;
  useEffect(() => {
    if (current) startLive();
  }, [current]);
  if (!current) return <SignIn />;
  const { path, query } = route.value;
  const section = path[0] ?? '';
  let page;
  if (section === 'nodes' && path[1]) page = <NodePage key={path[1]} nodeId={path[1]} />;
  else if (section === 'run') page = <RunPage key={query.toString()} query={query} />;
  else if (section === 'jobs' && path[1]) page = <JobPage key={path[1]} jobId={path[1]} />;
  else if (section === 'jobs') page = <JobsPage key={query.toString()} query={query} />;
  else page = <FleetPage />;
  const link = (to: string, label: string, active: boolean) => (
    <a href={to} class={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand" aria-label="OpenClaw Node">
          <img src="/assets/icon.svg" alt="" width={20} height={20} /> OpenClaw Node
        </span>
        <nav aria-label="Main">
          {link('#/', 'Fleet', section === '' || section === 'nodes')}
          {link('#/jobs', 'Jobs', section === 'jobs')}
          {current.me.can_exec ? link('#/run', 'Run', section === 'run') : null}
        </nav>
        <span
          class={`live ${fleetState.value}`}
          role="status"
          aria-label={`Live updates: ${fleetState.value}`}
        >
          {fleetState.value === 'live'
            ? '● live'
            : fleetState.value === 'loading'
              ? '○ loading'
              : '○ reconnecting'}
        </span>
        <span class="who" title={current.me.roles.join(', ')}>
          {current.me.name} <span class="muted">({current.me.roles.join(', ')})</span>
        </span>
        <button type="button" class="secondary" onClick={() => signOut('You signed out.')}>
          Sign out
        </button>
      </header>
      <main id="main">{page}</main>
    </div>
  );
}
