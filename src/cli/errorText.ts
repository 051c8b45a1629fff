/**
 * Nix error lines as comparable shapes, for `rootrace explain`: a store path
 * (whatever its hash, or `…` written for one) becomes `<path>`, a list of
 * quoted paths one `<path>`, a number `N`, so that a CI log's line and the
 * message a scenario produced compare equal when Nix printed the same thing.
 */

/** The shape of one line, with the names of the store paths it mentions (`hosts.drv`). */
export interface ErrorShape {
  readonly shape: string;
  readonly names: readonly string[];
}

// Nix's base-32 hash, or what people write for one in issues and logs: `…`, `...`, `<hash>`, `5b0…`.
const STORE_PATH = /\/nix\/store\/[^\s/'"-]{1,32}-([^\s'",;:)]*[^\s'",;:).])/g;

/** Without ANSI colours, with single spaces. */
function clean(line: string): string {
  return line
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function errorShape(line: string): ErrorShape {
  const names: string[] = [];
  const shape = clean(line)
    .replace(STORE_PATH, (_, name: string) => {
      names.push(name);
      return '<path>';
    })
    .replace(/'<path>'(?:, '<path>')+/g, "'<path>'")
    .replace(/\d+/g, 'N');
  return { shape, names };
}

/**
 * The part of a finding's message that Nix prints: a process that aborted is
 * named by rootrace (`E1 (pid 1001) aborted: `); the assertion after it is Nix's.
 */
export function nixText(message: string): string {
  return message.replace(/^.*?\(pid \d+\) aborted: /, '');
}

/** How an input line matches a known shape: the whole message appears in it, or it is a fragment of the message. */
export type Match = 'message' | 'fragment';

/** Literal text a fragment needs, so that `error:` or `path` alone matches nothing. */
const MIN_FRAGMENT = 12;

/**
 * Whether `input` (a log line, or a piece of one someone typed, `…` standing
 * for anything) shows the message of shape `known`.
 */
export function matchShape(input: string, known: string): Match | null {
  const a = input.toLowerCase();
  const k = known.toLowerCase();
  if (a.includes(k)) return 'message';
  const body = a.replace(/^error: /, '');
  const literal = body.replace(/…|\.\.\.|<path>|'/g, '').replace(/\s+/g, ' ').trim();
  if (literal.length < MIN_FRAGMENT) return null;
  // `…` (or `...`) is a wildcard; `<path>` with or without its quotes is a path.
  const pattern = body
    .split(/(…|\.\.\.|'?<path>'?)/)
    .map((part) => (part === '…' || part === '...' ? '.*?' : /^'?<path>'?$/.test(part) ? "'?<path>'?" : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(pattern).test(k) ? 'fragment' : null;
}
