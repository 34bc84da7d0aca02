// Builds the narrow context actions perform with: the current state, the engine commands and the UI
// effects (file picker, help sheet).
import { engineController } from '../engine/engine-controller.ts';
import { useStore } from '../store/index.ts';
import type { ActionContext } from './types.ts';

export function actionContext(ui: ActionContext['ui']): ActionContext {
  return { state: useStore.getState(), engine: engineController, ui };
}
