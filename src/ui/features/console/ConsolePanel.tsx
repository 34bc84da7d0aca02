// The console panel: the guest's VGA screen and, beside it, the kernel log.
import { Panel } from '../../components/Panel.tsx';
import { SplitPane } from '../../components/SplitPane.tsx';
import { useStore } from '../../store/index.ts';
import { KernelLog } from './KernelLog.tsx';
import { PasteLine } from './PasteLine.tsx';
import { VgaScreen } from './VgaScreen.tsx';

const WEIGHTS = [3, 1];

export function ConsolePanel() {
  const clearLog = useStore((state) => state.clearLog);
  return (
    <Panel id="console" title="Console" tools={<button onClick={clearLog} title="Clear the kernel log">Clear log</button>}>
      <SplitPane id="console" direction="column" weights={WEIGHTS}>
        <div className="console-screen">
          <VgaScreen />
          <PasteLine />
        </div>
        <KernelLog />
      </SplitPane>
    </Panel>
  );
}
