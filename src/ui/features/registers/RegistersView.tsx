// Registers while the guest is stopped: general, EIP, EFLAGS decoded, segments (selector, base, limit),
// control registers and the CPL.
import { EmptyState } from '../../components/EmptyState.tsx';
import { hex32 } from '../../format.ts';
import { useStore } from '../../store/index.ts';
import { decodeEflags } from './eflags.ts';

export function RegistersView() {
  const registers = useStore((state) => state.inspection?.registers);
  const running = useStore((state) => state.status.state === 'running' || state.status.state === 'waiting');
  if (!registers) {
    return (
      <EmptyState title="No registers to show">
        {running ? 'The guest is running: pause it (F6) to read its registers.' : 'Load a kernel and pause it to read its registers.'}
      </EmptyState>
    );
  }
  const flags = decodeEflags(registers.eflags);
  return (
    <div className="registers" data-testid="registers">
      <table className="reg-table">
        <tbody>
          {registers.general.map((reg) => (
            <tr key={reg.name}>
              <th>{reg.name}</th>
              <td className="mono">{hex32(reg.value)}</td>
              <td className="mono muted">{reg.value | 0}</td>
            </tr>
          ))}
          <tr className="reg-eip">
            <th>eip</th>
            <td className="mono" data-testid="reg-eip">{hex32(registers.eip)}</td>
            <td className="muted">cpl {registers.cpl}</td>
          </tr>
          <tr>
            <th>eflags</th>
            <td className="mono">{hex32(registers.eflags)}</td>
            <td className="flags">
              {flags.set.map((flag) => (
                <abbr key={flag.name} title={flag.description}>{flag.name}</abbr>
              ))}
              <abbr title="I/O privilege level">IOPL={flags.iopl}</abbr>
            </td>
          </tr>
        </tbody>
      </table>
      <table className="reg-table">
        <thead>
          <tr><th /><th>selector</th><th>base</th><th>limit</th></tr>
        </thead>
        <tbody>
          {registers.segments.map((seg) => (
            <tr key={seg.name}>
              <th>{seg.name}</th>
              <td className="mono">{seg.selector.toString(16).padStart(4, '0')}</td>
              <td className="mono">{hex32(seg.base)}</td>
              <td className="mono">{hex32(seg.limit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="reg-table">
        <tbody>
          {registers.control.map((reg) => (
            <tr key={reg.name}>
              <th>{reg.name}</th>
              <td className="mono">{hex32(reg.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
