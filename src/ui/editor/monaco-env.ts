// Monaco's environment for Vite: the one web worker we need (the plain editor worker, loaded with Vite's
// `?worker` import), and only the editor API plus the C language. No TypeScript/HTML/CSS/JSON workers.
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/languages/definitions/cpp/register';
import { registerAttAssembly } from './att-language.ts';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

registerAttAssembly(monaco);

monaco.editor.defineTheme('faultline-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'address', foreground: '6a9955' },
    { token: 'symbol', foreground: 'dcdcaa' },
    { token: 'bytes', foreground: '808080' },
    { token: 'register', foreground: '9cdcfe' },
    { token: 'immediate', foreground: 'b5cea8' },
  ],
  colors: { 'editor.background': '#1e1e1e' },
});

export { monaco };
