// The typed command registry's vocabulary (after excalidraw's actions): every user command is an Action
// with a name from a string-literal union, a label, shortcuts, a predicate saying when it applies, and a
// `perform` that gets a narrow context (the state it may read, the engine commands and the few UI
// effects it may trigger), never the whole app.
import type { EngineCommands } from '../engine/engine-controller.ts';
import type { AppState } from '../store/index.ts';

export type ActionName = 'run' | 'pause' | 'stepInto' | 'stepOver' | 'runTo' | 'reset' | 'openKernel' | 'toggleHelp';

/** A key chord; modifiers not named must not be held. `key` is a `KeyboardEvent.key` value. */
export interface Shortcut {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
}

export interface ActionContext {
  state: AppState;
  engine: EngineCommands;
  ui: { openFilePicker(): void; toggleHelp(): void };
}

export interface Action {
  name: ActionName;
  label: string;
  description: string;
  shortcuts: Shortcut[];
  /** Whether the action applies in this state (disabled buttons, ignored shortcuts otherwise). */
  enabled(state: AppState): boolean;
  perform(context: ActionContext): void;
}
