// The standalone HTML bug report (landslide.md §6, Landslide's found_a_bug.c made readable): the bug,
// the statistics (interleavings tested, estimated size and coverage), and a table with one column per
// thread and one row per preemption point; the cell in the running thread's column holds the stack at
// the end of its transition, frames as "0x%08x in NAME (FILE:LINE)".

import type { JsonReport, TraceRow } from './report.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The whole page; `traces[i]` is the trace of `report.bugs[i]`'s schedule. */
export function renderHtmlReport(report: JsonReport, traces: readonly TraceRow[][], threadName: (tid: number) => string): string {
  const coverage = report.estimate.branches > 0 ? Math.min(100, (100 * report.branches) / report.estimate.branches) : 0;
  const sections = report.bugs.map((b, i) => {
    const rows = traces[i] ?? [];
    const tids = [...new Set(rows.map((r) => r.tid))].sort((x, y) => x - y);
    const head = tids.map((t) => `<th>${esc(threadName(t))}</th>`).join('');
    const body = rows.map((r, n) => `<tr><td class="n">${n}</td><td class="why">${esc(r.reason)}${r.current !== r.tid ? ` &rarr; TID ${r.current}` : ''}</td>${
      tids.map((t) => `<td>${t === r.tid ? `<pre>${esc(r.stack.join('\n'))}</pre>` : ''}</td>`).join('')}</tr>`).join('\n');
    const lone = tids.length < 2 ? '<p class="warn">Fewer than two threads ran: this is NOT A RACE (a deterministic bug).</p>' : '';
    return `<section>
<h2>A bug was found! (${esc(b.class)})</h2>
<h3>${esc(b.message)}</h3>
<p>Thread: ${esc(b.thread ?? 'unknown')}; location: ${esc(b.location ?? 'unknown')}; first found in branch ${b.branch}.</p>
${b.details.length ? `<pre class="details">${esc(b.details.join('\n'))}</pre>` : ''}
<p>Replay: <code>faultline replay ${esc(report.kernel)} --test ${esc(report.test)} --schedule ${esc(b.schedule)}</code></p>
${lone}
<table><thead><tr><th>#</th><th>preemption point</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
</section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Faultline preemption trace: ${esc(report.test)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-top: 1em; } th, td { border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; }
th { background: #eee; } pre { margin: 0; font: 12px/1.3 ui-monospace, monospace; } td.n { text-align: right; color: #666; }
td.why { white-space: nowrap; } .warn { background: #fff3cd; border: 1px solid #e0c36c; padding: 6px; } .details { background: #f6f6f6; padding: 6px; }
</style></head><body>
<h1>Faultline: ${esc(report.test)} on ${esc(report.kernel)}</h1>
<table class="stats"><tbody>
<tr><th>Distinct interleavings tested</th><td>${report.branches}</td></tr>
<tr><th>Estimated state space size</th><td>${report.estimate.branches}${report.complete ? ' (complete)' : ''}</td></tr>
<tr><th>Estimated state space coverage</th><td>${coverage.toFixed(1)}%</td></tr>
<tr><th>Search</th><td>${esc(report.mode)}${report.preemptionBound === null ? '' : `, at most ${report.preemptionBound} preemptions`}</td></tr>
<tr><th>Time</th><td>${report.elapsedSeconds} s</td></tr>
</tbody></table>
${sections || '<p>No bug was found.</p>'}
</body></html>
`;
}
