// Formats a memory window as hex-dump rows (16 bytes each: address, hex bytes, printable ASCII), with
// `??` / a blank for bytes that could not be read (unmapped linear pages, beyond physical RAM).
import { hex32, hexDigits } from '../../format.ts';

export const BYTES_PER_ROW = 16;

export interface HexRow {
  address: string;
  hex: string[];
  ascii: string;
}

export function hexDumpRows(address: number, bytes: Uint8Array, readable: Uint8Array): HexRow[] {
  const rows: HexRow[] = [];
  for (let offset = 0; offset < bytes.length; offset += BYTES_PER_ROW) {
    const hex: string[] = [];
    let ascii = '';
    for (let i = offset; i < Math.min(offset + BYTES_PER_ROW, bytes.length); i++) {
      if (!readable[i]) {
        hex.push('??');
        ascii += ' ';
        continue;
      }
      hex.push(hexDigits(bytes[i], 2));
      ascii += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
    }
    rows.push({ address: hex32(address + offset), hex, ascii });
  }
  return rows;
}
