// The kernel picker: the bundled samples (from public/kernels/manifest.json, via the worker), and a
// button to open a kernel ELF or bootfd.img from disk (dropping one on the window works too).
import type { ActionContext } from '../../actions/types.ts';
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';
import { ActionButton } from './RunControls.tsx';

export function KernelPicker(props: { context: () => ActionContext; onOpenSources(): void }) {
  const samples = useStore((state) => state.samples);
  const samplesError = useStore((state) => state.samplesError);
  const image = useStore((state) => state.image);
  const loading = useStore((state) => state.loading);
  const phase = useStore((state) => state.engine.phase);
  const ready = phase === 'ready';
  const selected = samples.some((s) => s.name === image?.name) ? image?.name : '';

  return (
    <div className="kernel-picker">
      <select
        data-testid="sample-picker"
        aria-label="Sample kernel"
        value={selected}
        disabled={!ready || samples.length === 0}
        title={samplesError ?? 'Bundled sample kernels'}
        onChange={(event) => void engineController.load({ kind: 'sample', name: event.target.value })}
      >
        <option value="" disabled>
          {samplesError ? 'no samples' : phase === 'crashed' ? 'engine unavailable' : samples.length === 0 ? 'loading samples…' : image ? image.name : 'choose a sample…'}
        </option>
        {samples.map((sample) => (
          <option key={sample.name} value={sample.name} title={sample.description}>{sample.title}</option>
        ))}
      </select>
      <ActionButton name="openKernel" context={props.context} />
      <button disabled={!ready || !image} onClick={props.onOpenSources} title="Add the kernel’s source folder for the source view (or drop the folder or a .zip)">
        Sources…
      </button>
      {loading && <span className="muted" data-testid="loading">loading {loading}…</span>}
    </div>
  );
}
