// A workbench panel: a title bar (with optional tools on the right) over a scrolling body.
import type { ReactNode } from 'react';

export function Panel(props: { id: string; title: string; tools?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel" data-testid={`panel-${props.id}`} aria-label={props.title}>
      <header className="panel-header">
        <h2>{props.title}</h2>
        {props.tools && <div className="panel-tools">{props.tools}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
