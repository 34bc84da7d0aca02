// The exploration views (decision tree, thread timeline, memory-conflict graph). They draw the
// explorer's results; until the explorer runs in the IDE they say so and show nothing.
import { EmptyState } from '../../components/EmptyState.tsx';
import { Panel } from '../../components/Panel.tsx';

const VIEWS = {
  'decision-tree': {
    title: 'Decision tree',
    shows: 'the preemption points the explorer chose and which branches it explored, pruned or found buggy',
  },
  timeline: {
    title: 'Thread timeline',
    shows: 'each thread’s run of a schedule over time, with context switches and the events that matter',
  },
  conflicts: {
    title: 'Memory conflicts',
    shows: 'shared-memory accesses that conflict between threads, and the happens-before edges that order them',
  },
} as const;

export function ExplorationPanel(props: { view: keyof typeof VIEWS }) {
  const view = VIEWS[props.view];
  return (
    <Panel id={props.view} title={view.title}>
      <EmptyState title="Exploration views arrive with the explorer">
        This panel will show {view.shows}. Nothing is shown until an exploration has run.
      </EmptyState>
    </Panel>
  );
}
