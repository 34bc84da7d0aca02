// A read-only Monaco editor showing text in a language, with one highlighted line kept in view (the
// instruction at EIP, or the current source line). Created on mount, disposed on unmount.
import { useEffect, useRef } from 'react';
import { monaco } from './monaco-env.ts';

export default function CodeEditor(props: { text: string; language: string; highlightLine: number | null; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      value: '',
      language: props.language,
      theme: 'faultline-dark',
      readOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      lineNumbersMinChars: 4,
      renderLineHighlight: 'none',
      glyphMargin: true,
    });
    editor.current = instance;
    decorations.current = instance.createDecorationsCollection();
    return () => {
      instance.dispose();
      editor.current = null;
    };
  }, [props.language]);

  useEffect(() => {
    const instance = editor.current;
    if (!instance) return;
    if (instance.getValue() !== props.text) {
      // Drop the old highlight before the text changes, so it cannot survive as a second one.
      decorations.current?.clear();
      instance.setValue(props.text);
    }
    const line = props.highlightLine;
    decorations.current?.set(
      line === null
        ? []
        : [{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'current-line', glyphMarginClassName: 'current-line-glyph' } }],
    );
    if (line !== null) instance.revealLineInCenterIfOutsideViewport(line);
  }, [props.text, props.highlightLine, props.language]);

  return <div ref={host} className="code-editor" data-testid={props.testId} />;
}
