// The registers/stack panel: registers above, the call stack below.
import { Panel } from '../../components/Panel.tsx';
import { SplitPane } from '../../components/SplitPane.tsx';
import { CallStack } from '../stack/CallStack.tsx';
import { RegistersView } from './RegistersView.tsx';

const WEIGHTS = [3, 2];

export function InspectorPanel() {
  return (
    <Panel id="registers" title="Registers & stack">
      <SplitPane id="inspector" direction="column" weights={WEIGHTS}>
        <div className="scroll"><RegistersView /></div>
        <div className="scroll"><CallStack /></div>
      </SplitPane>
    </Panel>
  );
}
