// A text field that types a whole line into the guest (followed by Enter), for pasting test names.
import { useState, type FormEvent } from 'react';
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';

export function PasteLine() {
  const [text, setText] = useState('');
  const canType = useStore((state) => state.image !== null && state.engine.phase === 'ready');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    engineController.typeText(`${text}\n`);
    setText('');
  };
  return (
    <form className="paste-line" onSubmit={submit}>
      <input
        data-testid="paste-line"
        aria-label="Type a line into the guest"
        placeholder="Type a line for the guest, Enter sends it"
        value={text}
        disabled={!canType}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" disabled={!canType}>Send</button>
    </form>
  );
}
