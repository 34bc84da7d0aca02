// The call stack while the guest is stopped, innermost frame first, symbolised, with file:line when the
// line info knows it, and kernel/user frames told apart.
import { EmptyState } from '../../components/EmptyState.tsx';
import { hex32 } from '../../format.ts';
import { useStore } from '../../store/index.ts';

export function CallStack() {
  const stack = useStore((state) => state.inspection?.stack);
  if (!stack) return <EmptyState title="No call stack">Pause the guest to walk its stack.</EmptyState>;
  if (stack.length === 0) return <EmptyState title="The stack walk found no frames" />;
  return (
    <ol className="call-stack" data-testid="call-stack">
      {stack.map((frame, index) => (
        <li key={index} className={`frame frame-${frame.space}`}>
          <span className="frame-space">{frame.space}</span>
          <span className="mono">{hex32(frame.address)}</span>
          <span className="frame-symbol">{frame.symbol ?? '??'}</span>
          {frame.location && <span className="muted">{frame.location.file}:{frame.location.line}</span>}
        </li>
      ))}
    </ol>
  );
}
