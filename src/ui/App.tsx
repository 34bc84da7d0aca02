// The IDE shell: top bar (kernel picker, run controls), alerts, the resizable workbench of panels, and
// the status bar. Starts the engine worker, binds the shortcuts, and accepts dropped kernels and sources.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { actionContext } from './actions/context.ts';
import { useShortcuts } from './actions/useShortcuts.ts';
import { SplitPane } from './components/SplitPane.tsx';
import { engineController } from './engine/engine-controller.ts';
import { Alerts } from './features/alerts/Alerts.tsx';
import { CodePanel } from './features/code/CodePanel.tsx';
import { ConsolePanel } from './features/console/ConsolePanel.tsx';
import { ExplorationPanel } from './features/exploration/ExplorationPanel.tsx';
import { ExplorePanel } from './features/exploration/ExplorePanel.tsx';
import { MemoryPanel } from './features/memory/MemoryPanel.tsx';
import { InspectorPanel } from './features/registers/InspectorPanel.tsx';
import { StatusBar } from './features/status/StatusBar.tsx';
import { HelpSheet } from './features/topbar/HelpSheet.tsx';
import { droppedFiles, openFiles, pickedFiles } from './features/topbar/open-files.ts';
import { TopBar } from './features/topbar/TopBar.tsx';
import { useStore } from './store/index.ts';

const ROWS = [13, 7];
const TOP = [9, 7, 4];
const BOTTOM = [4, 5, 3, 2, 2];

export function App() {
  const kernelInput = useRef<HTMLInputElement>(null);
  const sourceInput = useRef<HTMLInputElement>(null);
  const helpOpen = useStore((state) => state.helpOpen);
  const setHelpOpen = useStore((state) => state.setHelpOpen);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void engineController.start();
    return () => engineController.stop();
  }, []);

  const context = useCallback(
    () =>
      actionContext({
        openFilePicker: () => kernelInput.current?.click(),
        toggleHelp: () => setHelpOpen(!useStore.getState().helpOpen),
      }),
    [setHelpOpen],
  );
  useShortcuts(context);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void droppedFiles(event.dataTransfer).then(openFiles);
  };

  return (
    <div
      className="app"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => event.currentTarget === event.target && setDragging(false)}
      onDrop={onDrop}
    >
      <TopBar context={context} onOpenSources={() => sourceInput.current?.click()} />
      <Alerts />
      <main className="workbench">
        <SplitPane id="rows" direction="column" weights={ROWS}>
          <SplitPane id="top" direction="row" weights={TOP}>
            <ConsolePanel />
            <CodePanel />
            <InspectorPanel />
          </SplitPane>
          <SplitPane id="bottom" direction="row" weights={BOTTOM}>
            <MemoryPanel />
            <ExplorePanel />
            <ExplorationPanel view="decision-tree" />
            <ExplorationPanel view="timeline" />
            <ExplorationPanel view="conflicts" />
          </SplitPane>
        </SplitPane>
      </main>
      <StatusBar />
      {helpOpen && <HelpSheet onClose={() => setHelpOpen(false)} />}
      {dragging && <div className="drop-overlay">Drop a kernel ELF or bootfd.img to boot it, or its sources (folder or .zip)</div>}
      <input
        ref={kernelInput}
        type="file"
        hidden
        data-testid="kernel-file"
        onChange={(event) => {
          if (event.target.files) void openFiles(pickedFiles(event.target.files));
          event.target.value = '';
        }}
      />
      <input
        ref={sourceInput}
        type="file"
        hidden
        multiple
        {...{ webkitdirectory: '' }}
        data-testid="source-folder"
        onChange={(event) => {
          if (event.target.files) void openFiles(pickedFiles(event.target.files));
          event.target.value = '';
        }}
      />
    </div>
  );
}
