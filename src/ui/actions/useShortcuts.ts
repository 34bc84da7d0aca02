// Binds the action registry's shortcuts to the window. Keys pressed while the guest screen has focus
// belong to the guest (the screen stops their propagation), so they never reach this handler.
import { useEffect } from 'react';
import { actionForKey } from './registry.ts';
import type { ActionContext } from './types.ts';

export function useShortcuts(context: () => ActionContext): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionForKey(event);
      if (!action) return;
      event.preventDefault();
      const current = context();
      if (action.enabled(current.state)) action.perform(current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context]);
}
