// Vite builds the IDE as a static site (any web host, no server code) and runs the unit tests (Vitest).
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts', 'public/kernels/tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
