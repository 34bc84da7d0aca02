// A text field that types a whole line into the guest (followed by Enter), offering the loaded sample's
// test programs as suggestions.
import { useState, type FormEvent } from 'react';
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';

export function PasteLine() {
  const [text, setText] = useState('');
  const canType = useStore((state) => state.image !== null && state.engine.phase === 'ready');
  const tests = useStore((state) => state.samples.find((sample) => sample.name === state.image?.name)?.tests);
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
        placeholder="Type a line for the guest (e.g. a test name), Enter sends it"
        list="guest-tests"
        value={text}
        disabled={!canType}
        onChange={(event) => setText(event.target.value)}
      />
      <datalist id="guest-tests">
        {tests?.map((test) => <option key={test} value={test} />)}
      </datalist>
      <button type="submit" disabled={!canType}>Send</button>
    </form>
  );
}
