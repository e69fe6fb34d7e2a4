import { render } from 'preact';
import './styles.css';
import { App } from './views/App.js';
import { restoreSession } from './state/session.js';

const root = document.getElementById('app')!;
root.textContent = '';
void restoreSession().finally(() => render(<App />, root));
