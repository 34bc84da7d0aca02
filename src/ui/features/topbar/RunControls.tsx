// The run controls: buttons bound to the action registry (their tooltips show the shortcuts), and the
// run-to target field.
import { getAction } from '../../actions/registry.ts';
import { formatShortcut } from '../../actions/shortcuts.ts';
import type { ActionContext, ActionName } from '../../actions/types.ts';
import { useStore } from '../../store/index.ts';

const BUTTONS: { name: ActionName; icon: string }[] = [
  { name: 'run', icon: '▶' },
  { name: 'pause', icon: '❚❚' },
  { name: 'stepOver', icon: '⤼' },
  { name: 'stepInto', icon: '↓' },
  { name: 'reset', icon: '↺' },
];

export function ActionButton(props: { name: ActionName; icon?: string; context: () => ActionContext }) {
  const action = getAction(props.name);
  const enabled = useStore(action.enabled);
  const keys = action.shortcuts.map(formatShortcut).join(' or ');
  return (
    <button
      className="action"
      data-testid={`action-${action.name}`}
      disabled={!enabled}
      title={`${action.description}${keys ? ` (${keys})` : ''}`}
      onClick={() => action.perform(props.context())}
    >
      {props.icon && <span className="icon" aria-hidden="true">{props.icon}</span>}
      {action.label}
    </button>
  );
}

export function RunControls(props: { context: () => ActionContext }) {
  const target = useStore((state) => state.runToTarget);
  const setTarget = useStore((state) => state.setRunToTarget);
  const runTo = getAction('runTo');
  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      {BUTTONS.map((button) => (
        <ActionButton key={button.name} name={button.name} icon={button.icon} context={props.context} />
      ))}
      <form
        className="run-to"
        onSubmit={(event) => {
          event.preventDefault();
          const context = props.context();
          if (runTo.enabled(context.state)) runTo.perform(context);
        }}
      >
        <input
          data-testid="run-to-target"
          aria-label="Run to symbol or address"
          placeholder="symbol or 0xaddress"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
        />
        <ActionButton name="runTo" context={props.context} />
      </form>
    </div>
  );
}
