// Symbol table of one ELF image (a kernel or a user program): address -> name+offset, name -> address,
// function ranges, and the image-layout facts the explorer needs (`_end`, the .data and .bss ranges).
// Built from the ELF .symtab (or .dynsym) per the System V gABI "Symbol Table" section.
//
// Lookup prefers the symbol whose [value, value+size) contains the address; for size-0 symbols (labels
// in assembly, such as interrupt stubs) it takes the nearest preceding one, up to the next symbol and
// within the same section. Absolute symbols (SHN_ABS, e.g. constants) are never used for lookup.

import { SHF_EXECINSTR, SHN_ABS, SHN_LORESERVE, SHN_UNDEF, type Elf32, type ElfSymbol } from '../loader/elf.ts';

export type SymbolKind = 'function' | 'object' | 'label';

export interface SymbolInfo {
  name: string;
  address: number;
  size: number;
  kind: SymbolKind;
  /** Global or weak binding (preferred over a local at the same address). */
  global: boolean;
  /** ELF section index, to keep size-0 labels from claiming addresses in another section. */
  section: number;
}

export interface SymbolMatch {
  name: string;
  offset: number;
  size: number;
  symbol: SymbolInfo;
}

export interface AddressRange {
  start: number;
  /** Exclusive. */
  end: number;
}

const KIND_RANK: Record<SymbolKind, number> = { function: 0, object: 1, label: 2 };

export class SymbolTable {
  /** Lookup candidates, sorted by address (best candidate first among equal addresses). */
  readonly symbols: readonly SymbolInfo[];
  /** `_end`: one past the image's bss, where Pebbles kernels start their heap. */
  readonly end: number | undefined;
  readonly data: AddressRange | null;
  readonly bss: AddressRange | null;
  private readonly byName: Map<string, number>;
  private readonly executableSections: Set<number>;
  /** Extent of each size-0 label: to the next symbol of its section, or to the section's end. */
  private readonly labelExtents: Map<SymbolInfo, number>;

  private constructor(
    symbols: SymbolInfo[],
    byName: Map<string, number>,
    data: AddressRange | null,
    bss: AddressRange | null,
    executableSections: Set<number>,
    sectionEnds: Map<number, number>,
  ) {
    this.symbols = symbols;
    this.byName = byName;
    this.end = byName.get('_end');
    this.data = data;
    this.bss = bss;
    this.executableSections = executableSections;
    this.labelExtents = labelExtents(symbols, sectionEnds);
  }

  static empty(): SymbolTable {
    return new SymbolTable([], new Map(), null, null, new Set(), new Map());
  }

  static fromElf(elf: Elf32): SymbolTable {
    const byName = new Map<string, number>();
    const globalNames = new Set<string>();
    const symbols: SymbolInfo[] = [];
    // .symtab first: when both tables exist, .dynsym only repeats part of it.
    const ordered = [...elf.symbols.filter((s) => s.table === 'symtab'), ...elf.symbols.filter((s) => s.table === 'dynsym')];
    for (const s of ordered) {
      if (!s.name || s.sectionIndex === SHN_UNDEF) continue;
      if (!byName.has(s.name) || (s.bind !== 'local' && !globalNames.has(s.name))) byName.set(s.name, s.value);
      if (s.bind !== 'local') globalNames.add(s.name);
      const kind = symbolKind(s);
      if (!kind || s.sectionIndex === SHN_ABS || s.sectionIndex >= SHN_LORESERVE || s.name.startsWith('.L')) continue;
      symbols.push({ name: s.name, address: s.value, size: s.size, kind, global: s.bind !== 'local', section: s.sectionIndex });
    }
    symbols.sort(
      (a, b) => a.address - b.address || KIND_RANK[a.kind] - KIND_RANK[b.kind] || Number(b.global) - Number(a.global) || b.size - a.size,
    );
    const unique = symbols.filter((s, i) => i === 0 || s.address !== symbols[i - 1].address || s.name !== symbols[i - 1].name);
    const range = (name: string): AddressRange | null => {
      const sec = elf.section(name);
      return sec && sec.size > 0 ? { start: sec.addr, end: sec.addr + sec.size } : null;
    };
    const executable = new Set(elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0).map((s) => s.index));
    const ends = new Map(elf.sections.map((s) => [s.index, s.addr + s.size]));
    return new SymbolTable(unique, byName, range('.data'), range('.bss'), executable, ends);
  }

  /** The address of a named symbol (any kind, including absolute ones such as `_end`). */
  address(name: string): number | undefined {
    return this.byName.get(name);
  }

  /**
   * The symbol covering an address, as name + offset (the nearest preceding symbol that covers it, as
   * objdump names addresses); null when none does.
   */
  lookup(address: number): SymbolMatch | null {
    const a = address >>> 0;
    const s = this.nearestCovering(a, () => true, false);
    return s ? { name: s.name, offset: a - s.address, size: s.size, symbol: s } : null;
  }

  /** The function containing an address: a sized function first, else a code label (assembly). */
  functionAt(address: number): SymbolInfo | null {
    const a = address >>> 0;
    return (
      this.nearestCovering(a, (s) => s.kind === 'function' && s.size > 0, true) ??
      this.nearestCovering(a, (s) => s.kind === 'function' || (s.kind === 'label' && this.executableSections.has(s.section)), false)
    );
  }

  /** All functions, sorted by address. */
  functions(): SymbolInfo[] {
    return this.symbols.filter((s) => s.kind === 'function');
  }

  /**
   * The address range a named function, object or label covers (for "inside sched_func", "an access to
   * ignore_sym"); the global symbol when a local one has the same name. Undefined when unknown.
   */
  range(name: string): AddressRange | undefined {
    const address = this.byName.get(name);
    if (address === undefined) return undefined;
    const s = this.symbols.find((o) => o.address === address && o.name === name);
    return s ? { start: s.address, end: s.address + this.extent(s) } : undefined;
  }

  /** How many bytes a symbol spans: its size, or for a size-0 label up to the next symbol in its section. */
  extent(s: SymbolInfo): number {
    return s.size > 0 ? s.size : (this.labelExtents.get(s) ?? 0);
  }

  /**
   * Walks back from the last symbol at or below the address (at most WINDOW entries) and returns the
   * first accepted one that covers it; with `keepLooking` false, gives up at the first accepted symbol
   * that does not cover it.
   */
  private nearestCovering(address: number, accept: (s: SymbolInfo) => boolean, keepLooking: boolean): SymbolInfo | null {
    let lo = 0;
    let hi = this.symbols.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.symbols[mid].address <= address) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    for (let i = at; i >= 0 && at - i < WINDOW; i--) {
      // Symbols at one address are sorted best first: step to the first of the group.
      let j = i;
      while (j > 0 && this.symbols[j - 1].address === this.symbols[i].address) j--;
      for (let k = j; k <= i; k++) {
        const s = this.symbols[k];
        if (!accept(s)) continue;
        const extent = this.extent(s);
        if (address < s.address + extent || address === s.address) return s;
        if (!keepLooking) return this.coveringSized(address, at, accept);
      }
      i = j;
    }
    return null;
  }

  /** A sized accepted symbol below `at` that still covers the address (e.g. a function around a label). */
  private coveringSized(address: number, at: number, accept: (s: SymbolInfo) => boolean): SymbolInfo | null {
    for (let i = at; i >= 0 && at - i < WINDOW; i--) {
      const s = this.symbols[i];
      if (accept(s) && s.size > 0 && address < s.address + s.size) return s;
    }
    return null;
  }
}

const WINDOW = 64;

function labelExtents(symbols: readonly SymbolInfo[], sectionEnds: Map<number, number>): Map<SymbolInfo, number> {
  const extents = new Map<SymbolInfo, number>();
  const next = new Map(sectionEnds); // section -> the lowest symbol address above the current group
  for (let i = symbols.length - 1; i >= 0; ) {
    let j = i;
    while (j > 0 && symbols[j - 1].address === symbols[i].address) j--;
    for (let k = j; k <= i; k++) {
      const s = symbols[k];
      if (s.size === 0) extents.set(s, Math.max(0, (next.get(s.section) ?? s.address) - s.address));
    }
    for (let k = j; k <= i; k++) next.set(symbols[k].section, symbols[k].address);
    i = j - 1;
  }
  return extents;
}

function symbolKind(s: ElfSymbol): SymbolKind | null {
  if (s.type === 'func') return 'function';
  if (s.type === 'object') return 'object';
  if (s.type === 'notype') return 'label';
  return null;
}
