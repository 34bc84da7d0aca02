// The memory view: a window of linear (through the guest's page tables) or physical memory as a hex
// dump. Refreshed whenever the guest stops, or on demand.
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Panel } from '../../components/Panel.tsx';
import { engineController } from '../../engine/engine-controller.ts';
import { hex32, parseHexAddress } from '../../format.ts';
import { useStore } from '../../store/index.ts';
import { hexDumpRows } from './hex-dump.ts';

const WINDOW_BYTES = 256;

export function MemoryPanel() {
  const memory = useStore((state) => state.memory);
  const hasImage = useStore((state) => state.image !== null);
  const [space, setSpace] = useState(memory.request.space);
  const [address, setAddress] = useState(hex32(memory.request.address));
  const [invalid, setInvalid] = useState(false);

  const go = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseHexAddress(address);
    setInvalid(parsed === null);
    if (parsed !== null) void engineController.readMemory({ space, address: parsed, length: WINDOW_BYTES });
  };

  const tools = (
    <form className="memory-form" onSubmit={go}>
      <select aria-label="Address space" value={space} onChange={(e) => setSpace(e.target.value as typeof space)}>
        <option value="linear">linear</option>
        <option value="physical">physical</option>
      </select>
      <input
        className={`mono ${invalid ? 'invalid' : ''}`}
        aria-label="Address (hex)"
        aria-invalid={invalid}
        title="A hexadecimal address, e.g. 0xb8000"
        value={address}
        size={11}
        onChange={(e) => setAddress(e.target.value)}
      />
      <button type="submit" disabled={!hasImage}>Go</button>
    </form>
  );

  return (
    <Panel id="memory" title="Memory" tools={tools}>
      {!hasImage ? (
        <EmptyState title="No memory to show">Load a kernel, then read any linear or physical address.</EmptyState>
      ) : memory.error ? (
        <EmptyState title="Cannot read memory">{memory.error}</EmptyState>
      ) : !memory.dump ? (
        <EmptyState title="Pick an address">Memory is read when the guest stops, or when you press Go.</EmptyState>
      ) : (
        <table className="hex-dump mono" data-testid="memory-dump">
          <tbody>
            {hexDumpRows(memory.dump.address, memory.dump.bytes, memory.dump.readable).map((row) => (
              <tr key={row.address}>
                <th>{row.address}</th>
                <td>{row.hex.join(' ')}</td>
                <td className="ascii">{row.ascii}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
