// A Monarch grammar for the disassembly view: AT&T syntax lines as the worker formats them
// ("0x00101234 <kernel_main+4>  55  push %ebp").
import type * as Monaco from 'monaco-editor/editor/editor.api';

export const ATT_LANGUAGE = 'att-asm';

export function registerAttAssembly(monaco: typeof Monaco): void {
  monaco.languages.register({ id: ATT_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(ATT_LANGUAGE, {
    tokenizer: {
      root: [
        [/^0x[0-9a-f]+/, 'address'],
        [/<[^>]*>/, 'symbol'],
        [/%[a-z0-9]+/, 'register'],
        [/\$-?0x[0-9a-f]+|\$-?\d+/, 'immediate'],
        [/\b(?:[0-9a-f]{2} )+[0-9a-f]{2}\b|\b[0-9a-f]{2}\b/, 'bytes'],
        [/0x[0-9a-f]+/, 'number.hex'],
        [/[a-z][a-z0-9.]*/, 'keyword'],
      ],
    },
  });
}
