// The explorer's controls and results: choose a test of the loaded kernel and the search's settings,
// start, pause, resume or stop the exploration, follow its progress (branches, estimate, ETA) and read
// each bug found with the schedule that reproduces it; the JSON and HTML reports download as files.
import { EmptyState } from '../../components/EmptyState.tsx';
import { Panel } from '../../components/Panel.tsx';
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';
import type { ExplorationBug } from '../../../workers/protocol.ts';
import { exploreRequest } from './explore-request.ts';

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const whole = Math.round(s);
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

async function downloadReports(kind: 'json' | 'html', test: string): Promise<void> {
  const reports = await engineController.explorationReports();
  if (reports) download(`faultline-${test}.${kind}`, kind === 'json' ? 'application/json' : 'text/html', reports[kind]);
}

function BugItem(props: { bug: ExplorationBug }) {
  const { bug } = props;
  return (
    <li className="bug" data-testid="exploration-bug">
      <span className={`bug-class bug-${bug.class}`}>{bug.class}</span> <span className="bug-message">{bug.message}</span>
      <div className="muted">
        {bug.thread ?? 'unknown thread'} at {bug.location ?? 'unknown location'}; branch {bug.branch}
        {bug.occurrences > 1 ? `, seen in ${bug.occurrences} branches` : ''}
      </div>
      <div>schedule <code data-testid="bug-schedule">{bug.schedule}</code></div>
      {bug.details.length > 0 && (
        <details>
          <summary>details</summary>
          <pre>{bug.details.join('\n')}</pre>
        </details>
      )}
    </li>
  );
}

export function ExplorePanel() {
  const image = useStore((state) => state.image);
  const samples = useStore((state) => state.samples);
  const settings = useStore((state) => state.exploreSettings);
  const setSettings = useStore((state) => state.setExploreSettings);
  const exploration = useStore((state) => state.exploration);
  const showAlert = useStore((state) => state.showAlert);
  const sampleTests = samples.find((s) => s.name === image?.name)?.tests ?? [];
  const tests = sampleTests.length ? sampleTests : image?.programs ?? [];
  const test = tests.includes(settings.test) ? settings.test : tests[0] ?? '';
  const busy = exploration.state === 'running' || exploration.state === 'paused';
  const p = exploration.progress;

  const start = () => {
    const request = exploreRequest({ ...settings, test });
    if (typeof request === 'string') showAlert(request);
    else void engineController.explore(request);
  };

  const tools = (
    <>
      <select aria-label="Test to explore" data-testid="explore-test" value={test} disabled={!image || tests.length === 0}
        onChange={(event) => setSettings({ test: event.target.value })}>
        {tests.map((t) => <option key={t} value={t}>{t}</option>)}
      </select>
      <select aria-label="Search mode" value={settings.mode} onChange={(event) => setSettings({ mode: event.target.value as 'dpor' | 'dfs' })}>
        <option value="dpor">DPOR</option>
        <option value="dfs">all (DFS)</option>
      </select>
      <input aria-label="Preemption bound" title="Preemption bound (empty: unbounded)" placeholder="bound" size={3} data-testid="explore-bound"
        value={settings.preemptionBound} onChange={(event) => setSettings({ preemptionBound: event.target.value })} />
      <input aria-label="Time limit in seconds" title="Time limit in seconds (empty: none)" placeholder="secs" size={4}
        value={settings.timeLimit} onChange={(event) => setSettings({ timeLimit: event.target.value })} />
      <input aria-label="Data-race points" title="Data-race preemption points: kernel instructions such as 0x1034a5 or mutex_lock+0x32 (as race reports name them), separated by spaces"
        placeholder="data-race points" size={14} data-testid="explore-dr-points"
        value={settings.dataRacePoints} onChange={(event) => setSettings({ dataRacePoints: event.target.value })} />
      <label title="Probe small searches first (bound 0, then one preemption-point site at a time) to find bugs fast">
        <input type="checkbox" checked={settings.iterativeDeepening} onChange={(event) => setSettings({ iterativeDeepening: event.target.checked })} /> fast
      </label>
      <button data-testid="explore-start" disabled={!image || !test} onClick={start}>{busy ? 'Restart' : 'Explore'}</button>
      {exploration.state === 'running' && <button onClick={() => engineController.exploreCommand({ kind: 'pause' })}>Pause</button>}
      {exploration.state === 'paused' && <button onClick={() => engineController.exploreCommand({ kind: 'resume' })}>Resume</button>}
      {busy && <button onClick={() => engineController.exploreCommand({ kind: 'stop' })}>Stop</button>}
    </>
  );

  return (
    <Panel id="explore" title="Explorer" tools={tools}>
      <div className="explore-body">
        <details className="kernel-config">
          <summary>Kernel configuration{settings.kernelConfig.trim() ? ' (set)' : ''}</summary>
          <textarea aria-label="Kernel configuration" data-testid="explore-config" rows={5} spellCheck={false}
            placeholder={'{"symbols": {"mutexLock": "mutex_lock", "malloc": "_malloc"}, "config": {"schedFunctions": ["context_switch"]}}'}
            value={settings.kernelConfig} onChange={(event) => setSettings({ kernelConfig: event.target.value })} />
          <p className="muted">Your kernel's function names and conventions, as for <code>faultline explore --config</code> (docs/explorer.md); laid over a sample's own.</p>
        </details>
        {exploration.test === null ? (
          <EmptyState title={image ? 'No exploration yet' : 'No kernel loaded'}>
            Choose a test and press Explore: the explorer runs it on a second machine and searches its thread
            interleavings for panics, failed asserts, deadlocks, use-after-free and other bugs.
          </EmptyState>
        ) : (
          <div className="explore-results" data-testid="exploration">
            <p data-testid="exploration-progress" data-branches={p?.branches} data-elapsed={p?.elapsedSeconds}>
              <strong>{exploration.test}</strong>: {exploration.state}
              {exploration.message ? ` (${exploration.message})` : ''}
              {p && ` · ${p.branches} branches of ~${p.estimatedBranches} (${p.percent.toFixed(1)}%) · ${seconds(p.elapsedSeconds)}`}
              {p && !p.complete && exploration.state === 'running' ? ` · ETA ${seconds(p.etaSeconds)}` : ''}
              {` · ${exploration.bugs.length} bug${exploration.bugs.length === 1 ? '' : 's'}`}
              {p?.races ? ` · ${p.races} data race${p.races === 1 ? '' : 's'}` : ''}
            </p>
            {exploration.limitations.map((text) => <p key={text} className="muted" data-testid="exploration-limitation">Note: {text}.</p>)}
            {p?.complete && exploration.bugs.length === 0 && <p>Every interleaving was explored: no bug.</p>}
            <ul className="bug-list">{exploration.bugs.map((b) => <BugItem key={`${b.class}|${b.message}|${b.location}`} bug={b} />)}</ul>
            <p>
              Reports: <button onClick={() => void downloadReports('json', exploration.test!)}>JSON</button>{' '}
              <button onClick={() => void downloadReports('html', exploration.test!)}>HTML</button>
            </p>
          </div>
        )}
      </div>
    </Panel>
  );
}
