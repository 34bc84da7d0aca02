// Proves the layering contract is enforced: forbidden imports between src/ layers are lint errors.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['src/ui/Panel.tsx', "import { Machine } from '../emulator/index.ts';"],
    ['src/ui/Panel.tsx', "import { explore } from '../explorer/index.ts';"],
    ['src/ui/Panel.tsx', "import '../workers/engine.worker.ts';"],
    ['src/emulator/cpu/cpu.ts', "import type { EngineApi } from '../../workers/protocol.ts';"],
    ['src/emulator/cpu/cpu.ts', "import { x } from '../../explorer/index.ts';"],
    ['src/explorer/search/dpor.ts', "import { Cpu } from '../../emulator/cpu/cpu.ts';"],
    ['src/explorer/search/dpor.ts', "import { App } from '../../ui/App.tsx';"],
    ['src/workers/engine.worker.ts', "import { Cpu } from '../emulator/cpu/cpu.ts';"],
    ['src/workers/protocol.ts', "import type { Machine } from '../emulator/index.ts';"],
  ])('%s may not say %s', async (file, code) => {
    expect(await layeringErrors(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/ui/Panel.tsx', "import type { EngineApi } from '../workers/protocol.ts';"],
    ['src/ui/Panel.tsx', "import { startEngine } from '../workers/client.ts';"],
    ['src/explorer/search/dpor.ts', "import { Machine } from '../../emulator/index.ts';"],
    ['src/workers/engine.worker.ts', "import { explore } from '../explorer/index.ts';"],
    ['src/emulator/cpu/cpu.ts', "import { Mmu } from '../mmu/mmu.ts';"],
  ])('%s may say %s', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
