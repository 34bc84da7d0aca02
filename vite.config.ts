// Vite builds the IDE as a static site (any web host, no server code) and runs the unit tests (Vitest).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** public/kernels/tests holds the sample kernels' Node tests: they are not part of the site. */
function dropKernelTests(): Plugin {
  let outDir = 'dist';
  return {
    name: 'faultline-drop-kernel-tests',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      rmSync(join(outDir, 'kernels', 'tests'), { recursive: true, force: true });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), dropKernelTests()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts', 'public/kernels/tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
