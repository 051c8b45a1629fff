/**
 * A terminal table that keeps to a width (issue #13 item 3): the columns a
 * reader needs least go first, then the first column's cells wrap (at `+`,
 * `,` or a space where they can), and the columns left out are named so
 * `--wide` can bring them back. Width null: every column, unwrapped.
 */

export interface TableColumn {
  readonly head: string;
  readonly align: 'left' | 'right';
  /**
   * Left out to fit: the column with the highest `drop` goes first; 0 or
   * absent, never. Keep the columns that carry the finding (rate, interval).
   */
  readonly drop?: number;
}

export interface Table {
  readonly lines: readonly string[];
  /** Heads of the columns left out to fit the width, in table order. */
  readonly hidden: readonly string[];
}

const GAP = '  ';
/** The first column never wraps narrower than this. */
const MIN_FIRST = 12;

/** Lines of `rows` under `cols`, at most `width` characters wide when it can be done by leaving out and wrapping. */
export function fitTable(cols: readonly TableColumn[], rows: readonly (readonly string[])[], width: number | null): Table {
  let keep = cols.map((_, i) => i);
  const natural = cols.map((c, i) => Math.max(c.head.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = (idx: readonly number[]): number => idx.reduce((n, i) => n + natural[i]!, 0) + GAP.length * Math.max(0, idx.length - 1);
  // The first column wraps before any column goes: it needs only the room of its cells' first pieces.
  const firstMin = Math.min(natural[0] ?? 0, Math.max(MIN_FIRST, cols[0]?.head.length ?? 0, ...rows.map((r) => firstPiece(r[0] ?? ''))));
  const needed = (idx: readonly number[]): number => total(idx) - (natural[0] ?? 0) + firstMin;
  if (width !== null) {
    for (;;) {
      if (needed(keep) <= width) break;
      const droppable = keep.filter((i) => (cols[i]!.drop ?? 0) > 0);
      if (droppable.length === 0) break;
      const worst = droppable.reduce((a, b) => ((cols[b]!.drop ?? 0) > (cols[a]!.drop ?? 0) ? b : a));
      keep = keep.filter((i) => i !== worst);
    }
  }
  const widths = keep.map((i) => natural[i]!);
  // A wrapped cell's continuation lines have every other cell blank, so they may run on to the table's width.
  let more = Infinity;
  if (width !== null && total(keep) > width && keep.length > 0) {
    const rest = total(keep) - widths[0]!;
    widths[0] = Math.max(MIN_FIRST, cols[keep[0]!]!.head.length, width - rest);
    more = Math.max(widths[0], width);
  }
  const render = (cells: readonly string[]): string[] => {
    const first = wrap(cells[0] ?? '', widths[0]!, more);
    return first.map((piece, k) =>
      keep
        .map((col, j) => {
          const text = j === 0 ? piece : k === 0 ? (cells[j] ?? '') : '';
          return cols[col]!.align === 'left' ? text.padEnd(widths[j]!) : text.padStart(widths[j]!);
        })
        .join(GAP)
        .trimEnd(),
    );
  };
  const lines = [render(keep.map((i) => cols[i]!.head)), ...rows.map((r) => render(keep.map((i) => r[i] ?? '')))].flat();
  return { lines, hidden: cols.map((c, i) => (keep.includes(i) ? null : c.head)).filter((h): h is string => h !== null) };
}

/** The length of `text` up to its first break (before `+`, after `,` or a space), as wrap() would cut it given room. */
function firstPiece(text: string): number {
  const at = text.slice(1).search(/[+, ]/);
  return at < 0 ? text.length : text[at + 1] === '+' ? at + 1 : at + 2;
}

/**
 * `text` in pieces: the first at most `w`, the others at most `more` with the
 * two spaces that start them; broken before `+` or after `,` or a space when
 * one is in reach, else where the room ends.
 */
export function wrap(text: string, w: number, more = w): string[] {
  if (text.length <= w) return [text];
  const out: string[] = [];
  let rest = text;
  let room = w;
  while (rest.length > room) {
    const window = rest.slice(0, room);
    const at = Math.max(window.lastIndexOf('+'), window.lastIndexOf(','), window.lastIndexOf(' '));
    const cut = at > 0 ? (window[at] === '+' ? at : at + 1) : room;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    room = Math.max(1, more - 2);
  }
  out.push(rest);
  return out.map((p, i) => (i === 0 ? p : `  ${p}`));
}

/** The line under a table that left columns out: `(left out to fit 100 columns: runs/s, store ops/s; --wide shows them)`. */
export function hiddenNote(t: Table, width: number | null): string[] {
  if (t.hidden.length === 0 || width === null) return [];
  return [`(left out to fit ${width} columns: ${t.hidden.join(', ')}; --wide shows ${t.hidden.length === 1 ? 'it' : 'them'})`];
}
