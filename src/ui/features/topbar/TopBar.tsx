// The top bar: product name, kernel picker, run controls and the shortcut help button.
import type { ActionContext } from '../../actions/types.ts';
import { KernelPicker } from './KernelPicker.tsx';
import { ActionButton, RunControls } from './RunControls.tsx';

export function TopBar(props: { context: () => ActionContext; onOpenSources(): void }) {
  return (
    <header className="topbar">
      <span className="brand">Faultline</span>
      <KernelPicker context={props.context} onOpenSources={props.onOpenSources} />
      <RunControls context={props.context} />
      <span className="spacer" />
      <ActionButton name="toggleHelp" icon="⌨" context={props.context} />
    </header>
  );
}
