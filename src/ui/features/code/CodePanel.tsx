// The code panel: the disassembly around EIP (AT&T, symbolised) and the C source line at EIP when the
// image has DWARF line info and its sources are known. Monaco is loaded on first use, off the critical
// path of the first paint.
import { lazy, Suspense, useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Panel } from '../../components/Panel.tsx';
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';
import { formatDisassembly } from './disassembly.ts';

const CodeEditor = lazy(() => import('../../editor/CodeEditor.tsx'));

type Tab = 'disassembly' | 'source';

function Disassembly() {
  const inspection = useStore((state) => state.inspection);
  const hasImage = useStore((state) => state.image !== null);
  if (!inspection) {
    return (
      <EmptyState title="No disassembly">
        {hasImage ? 'Pause the guest (F6) to disassemble around EIP.' : 'Load a kernel and pause it to disassemble around EIP.'}
      </EmptyState>
    );
  }
  return (
    <CodeEditor
      testId="disassembly"
      language="att-asm"
      text={formatDisassembly(inspection.disassembly)}
      highlightLine={inspection.currentLine >= 0 ? inspection.currentLine + 1 : null}
    />
  );
}

function Source() {
  const source = useStore((state) => state.inspection?.source ?? null);
  const hasInspection = useStore((state) => state.inspection !== null);
  const hasLineInfo = useStore((state) => state.image?.hasLineInfo ?? false);
  const [text, setText] = useState<{ file: string; text: string | null } | null>(null);

  useEffect(() => {
    if (!source?.available) return;
    let current = true;
    void engineController.sourceText(source.file).then((value) => current && setText({ file: source.file, text: value }));
    return () => {
      current = false;
    };
  }, [source?.file, source?.available]);

  if (!hasInspection) return <EmptyState title="No source">Pause the guest to see the source line at EIP.</EmptyState>;
  if (!hasLineInfo) return <EmptyState title="No line information">This image has no DWARF line info (build it with -g).</EmptyState>;
  if (!source) return <EmptyState title="No source line here">The line info does not cover this address.</EmptyState>;
  if (!source.available) {
    return (
      <EmptyState title={`${source.file}:${source.line}`}>
        The text of this file is not known: drop the kernel’s source folder, or a .zip of it, on the window.
      </EmptyState>
    );
  }
  if (!text || text.file !== source.file) return <EmptyState title={`Loading ${source.file}…`} />;
  if (text.text === null) return <EmptyState title={`${source.file} could not be read`} />;
  return <CodeEditor testId="source" language="c" text={text.text} highlightLine={source.line} />;
}

export function CodePanel() {
  const [tab, setTab] = useState<Tab>('disassembly');
  const location = useStore((state) => state.inspection?.source ?? null);
  const tabs = (
    <div className="tabs" role="tablist">
      {(['disassembly', 'source'] as const).map((name) => (
        <button key={name} role="tab" aria-selected={tab === name} className={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)}>
          {name === 'disassembly' ? 'Disassembly' : location ? `${location.file}:${location.line}` : 'Source'}
        </button>
      ))}
    </div>
  );
  return (
    <Panel id="code" title="Code" tools={tabs}>
      <Suspense fallback={<EmptyState title="Loading the editor…" />}>{tab === 'disassembly' ? <Disassembly /> : <Source />}</Suspense>
    </Panel>
  );
}
