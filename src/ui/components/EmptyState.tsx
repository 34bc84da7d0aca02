// The honest empty state of a panel: says what will appear here and what it waits for.
import type { ReactNode } from 'react';

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <p className="empty-title">{props.title}</p>
      {props.children && <p className="empty-detail">{props.children}</p>}
    </div>
  );
}
