// The exploration views (decision tree, thread timeline, memory-conflict graph). They will draw the
// explorer's results (the Explorer panel runs it); until they are built they say so and show nothing.
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
      <EmptyState title="This view is not built yet">
        This panel will show {view.shows}. For now the Explorer panel lists the bugs and their schedules.
      </EmptyState>
    </Panel>
  );
}
