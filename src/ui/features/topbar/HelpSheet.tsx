// The keyboard shortcut sheet, generated from the action registry.
import { actions } from '../../actions/registry.ts';
import { formatShortcut } from '../../actions/shortcuts.ts';

export function HelpSheet(props: { onClose(): void }) {
  return (
    <div className="help-sheet" role="dialog" aria-label="Keyboard shortcuts" data-testid="help-sheet">
      <header>
        <h2>Keyboard shortcuts</h2>
        <button onClick={props.onClose} aria-label="Close">✕</button>
      </header>
      <table>
        <tbody>
          {actions.map((action) => (
            <tr key={action.name}>
              <td>{action.shortcuts.map((s) => <kbd key={formatShortcut(s)}>{formatShortcut(s)}</kbd>)}</td>
              <td>{action.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">While the guest screen has focus, every key goes to the guest; click elsewhere to get the shortcuts back.</p>
    </div>
  );
}
