/** How wide a command's tables may be: the terminal's width, at most 100 columns; `--wide` lifts the limit. */

/** The default limit, also off a terminal (a pipe, a CI log): what reads well in an issue or a log viewer. */
export const DEFAULT_TABLE_WIDTH = 100;
/** A terminal narrower than this still gets tables this wide (they wrap, as the terminal does). */
const NARROWEST = 60;

/** null (no limit) with `--wide`; else the terminal's columns, within NARROWEST..DEFAULT_TABLE_WIDTH. */
export function tableWidth(wide: boolean, out: { readonly isTTY?: boolean; readonly columns?: number } = process.stdout): number | null {
  if (wide) return null;
  const cols = out.isTTY === true && typeof out.columns === 'number' && out.columns > 0 ? out.columns : DEFAULT_TABLE_WIDTH;
  return Math.max(NARROWEST, Math.min(DEFAULT_TABLE_WIDTH, cols));
}
