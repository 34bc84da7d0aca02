// The SVG path of a sparkline (D3 scales and line generator; React draws the <path>).
import { line, scaleLinear } from 'd3';

export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return '';
  const x = scaleLinear().domain([0, values.length - 1]).range([0, width]);
  const y = scaleLinear().domain([0, Math.max(...values, 1e-9)]).range([height - 1, 1]);
  return line<number>().x((_, i) => x(i)).y((v) => y(v))(values as number[]) ?? '';
}
