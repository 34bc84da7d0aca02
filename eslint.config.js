// Lint rules, including the layering contract: emulator <- explorer <- workers <- ui (and the CLI beside
// workers). Each layer may import only the public entry of the layer below it; a violation fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Builds a `no-restricted-imports` rule from [regex, message] pairs. */
function forbid(...patterns) {
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { patterns: patterns.map(([regex, message]) => ({ regex, message })) },
    ],
  };
}

const NOT_PUBLIC_EMULATOR = ['(^|/)emulator/(?!index(\\.ts)?$).+', 'import the emulator only through src/emulator/index.ts'];
const NOT_PUBLIC_EXPLORER = ['(^|/)explorer/(?!index(\\.ts)?$).+', 'import the explorer only through src/explorer/index.ts'];

export const layering = [
  {
    files: ['src/emulator/**/*.{ts,tsx}'],
    rules: forbid(['(^|/)(explorer|workers|ui|cli)(/|$)', 'src/emulator knows nothing of the explorer, workers, UI or CLI']),
  },
  {
    files: ['src/explorer/**/*.{ts,tsx}'],
    rules: forbid(['(^|/)(workers|ui|cli)(/|$)', 'src/explorer may import only the emulator'], NOT_PUBLIC_EMULATOR),
  },
  {
    files: ['src/workers/**/*.{ts,tsx}', 'src/cli/**/*.{ts,tsx}'],
    rules: forbid(['(^|/)ui(/|$)', 'workers and CLI never import the UI'], NOT_PUBLIC_EMULATOR, NOT_PUBLIC_EXPLORER),
  },
  {
    files: ['src/workers/protocol.ts'],
    rules: forbid(['(^|/)(emulator|explorer|cli|ui)(/|$)', 'the worker protocol is plain data types and imports no layer']),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: forbid(
      ['(^|/)(emulator|explorer|cli)(/|$)', 'src/ui talks to the engine only through the worker protocol and client'],
      ['(^|/)workers/(?!(protocol|client)(\\.ts)?$).+', 'src/ui may import only src/workers/protocol.ts and src/workers/client.ts'],
    ),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/*', '!public/kernels', 'public/kernels/*', '!public/kernels/tests', 'e2e/output/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.mjs', '*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/ui/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Determinism: the emulator and explorer run on virtual time (instruction counts) only. A caller that
    // wants wall-clock figures (ETA, MIPS) passes a clock in.
    files: ['src/emulator/**/*.ts', 'src/explorer/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'virtual time only: count instructions' },
        { name: 'performance', message: 'virtual time only: take a clock from the caller' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use a seeded generator' }],
    },
  },
  ...layering,
);
