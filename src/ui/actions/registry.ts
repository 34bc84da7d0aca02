// The IDE's commands, one registry bound to the toolbar buttons, the keyboard shortcuts (debugger
// conventions: F5 run/continue, F6 or Shift+F5 pause, F10 step over, F11 step into) and the help sheet.
import type { AppState } from '../store/index.ts';
import { matchesShortcut, type KeyChord } from './shortcuts.ts';
import type { Action, ActionName } from './types.ts';

const hasImage = (state: AppState) => state.image !== null && state.engine.phase === 'ready';
const isRunning = (state: AppState) => state.status.state === 'running' || state.status.state === 'waiting';
const isPaused = (state: AppState) => hasImage(state) && state.status.state === 'paused';

export const actions: readonly Action[] = [
  {
    name: 'run',
    label: 'Run',
    description: 'Run or continue the guest at full speed',
    shortcuts: [{ key: 'F5' }],
    enabled: (state) => isPaused(state),
    perform: ({ engine }) => engine.run(),
  },
  {
    name: 'pause',
    label: 'Pause',
    description: 'Pause the guest and inspect it',
    shortcuts: [{ key: 'F6' }, { key: 'F5', shift: true }],
    enabled: (state) => hasImage(state) && isRunning(state),
    perform: ({ engine }) => engine.pause(),
  },
  {
    name: 'stepOver',
    label: 'Step over',
    description: 'Execute one instruction, running a call to its return',
    shortcuts: [{ key: 'F10' }],
    enabled: isPaused,
    perform: ({ engine }) => engine.stepOver(),
  },
  {
    name: 'stepInto',
    label: 'Step',
    description: 'Execute one instruction',
    shortcuts: [{ key: 'F11' }],
    enabled: isPaused,
    perform: ({ engine }) => engine.stepInto(),
  },
  {
    name: 'runTo',
    label: 'Run to',
    description: 'Run until EIP reaches a symbol or a hexadecimal address',
    shortcuts: [{ key: 'F10', ctrl: true }],
    enabled: (state) => isPaused(state) && state.runToTarget.trim() !== '',
    perform: ({ engine, state }) => engine.runTo(state.runToTarget.trim()),
  },
  {
    name: 'reset',
    label: 'Reset',
    description: 'Boot the loaded kernel again from the start',
    shortcuts: [{ key: 'F5', ctrl: true, shift: true }],
    enabled: hasImage,
    perform: ({ engine }) => engine.reset(),
  },
  {
    name: 'openKernel',
    label: 'Open…',
    description: 'Open a kernel ELF or a bootfd.img (or drop one on the window)',
    shortcuts: [{ key: 'o', ctrl: true }],
    enabled: (state) => state.engine.phase === 'ready',
    perform: ({ ui }) => ui.openFilePicker(),
  },
  {
    name: 'toggleHelp',
    label: 'Shortcuts',
    description: 'Show or hide the keyboard shortcuts',
    shortcuts: [{ key: 'F1' }],
    enabled: () => true,
    perform: ({ ui }) => ui.toggleHelp(),
  },
];

export function getAction(name: ActionName): Action {
  const action = actions.find((candidate) => candidate.name === name);
  if (!action) throw new Error(`unknown action ${name}`);
  return action;
}

/** The action a key press triggers, if any (whether or not it is enabled). */
export function actionForKey(event: KeyChord): Action | undefined {
  return actions.find((action) => action.shortcuts.some((shortcut) => matchesShortcut(event, shortcut)));
}
