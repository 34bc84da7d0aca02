// Formats the worker's disassembly lines as the text of the disassembly editor: address, symbol, bytes,
// AT&T instruction, in aligned columns.
import type { DisassemblyLine } from '../../../workers/protocol.ts';
import { hex32 } from '../../format.ts';

export function formatDisassembly(lines: readonly DisassemblyLine[]): string {
  const symbolWidth = Math.max(0, ...lines.map((line) => (line.symbol ? line.symbol.length + 2 : 0)));
  const bytesWidth = Math.max(0, ...lines.map((line) => line.bytes.length));
  return lines
    .map((line) => {
      const symbol = (line.symbol ? `<${line.symbol}>` : '').padEnd(symbolWidth);
      return `${hex32(line.address)} ${symbol}  ${line.bytes.padEnd(bytesWidth)}  ${line.text}`.trimEnd();
    })
    .join('\n');
}
