/**
 * Every command and option a user can type (a declarative table): the parser
 * (spec.ts), `--help`, `rootrace help` and the README's option tables
 * (`npm run readme`) are all rendered from it.
 */
import { DEFAULT_MAX_THREADS } from '../scenarios/index.js';
import { DEFAULT_MAX_STEPS } from '../runtime/sim/simRuntime.js';
import { command, type OptionSpec } from './spec.js';

/** Default of `--timeout`: the watchdog's quiet period in ms (a run is a deadlock when nothing happened that long and every actor is blocked). */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** Default of `--max-saved`: run folders kept under .rootrace/ (savedRuns.ts). */
export const DEFAULT_MAX_SAVED = 50;


const profile = {
  value: 'P[,P…]',
  multiple: true,
  doc: 'Nix release profiles, side by side: nix-2.33, nix-2.24.12, lix-2.93, determinate-3.17 (rootrace profiles lists them); P+switch=value[+…] is P with those switches set, named as given (an A/B variant)',
} as const satisfies OptionSpec;
const seed = { value: 'S', doc: "root seed (always printed); each run's seed derives from it" } as const satisfies OptionSpec;
const set = { value: 'switch=value', multiple: true, keyed: true, doc: 'override one behaviour switch on every profile; rootrace profiles show <P> lists them' } as const satisfies OptionSpec;
const param = { value: 'k=v', multiple: true, keyed: true, doc: "a scenario parameter, e.g. evaluators=8; rootrace scenarios --json lists each scenario's" } as const satisfies OptionSpec;
const json = { doc: 'one JSON document on stdout (with schemaVersion) instead of text' } as const satisfies OptionSpec;
/** Tables keep to the terminal (at most 100 columns) unless asked: cells wrap, the least needed columns go, and a line names them. */
const wide = { doc: 'tables as wide as their cells, every column (default: at most 100 columns or the terminal, columns left out are named)' } as const satisfies OptionSpec;
const runtime = { value: 'threads|sim', doc: 'threads: real worker threads; sim: the same actors in one thread under a seeded scheduler (exact replay)' } as const satisfies OptionSpec;
const jitter = {
  value: 'µs',
  doc: 'a seeded delay of up to µs at half the interleaving points, to widen race windows',
  default: '0',
  only: { runtime: 'threads', is: "the threads runtime's injected delay (sim interleavings come from the seed)" },
} as const satisfies OptionSpec;
const timeout = {
  value: 'ms',
  doc: "the watchdog's quiet period: a run in which nothing happened for ms while every live actor is blocked is a deadlock finding saying what each waits for and holds; a run that is only slow is never cut short",
  default: String(DEFAULT_TIMEOUT_MS),
  only: { runtime: 'threads', is: "the threads runtime's watchdog period (sim finds deadlocks when no actor can move)" },
} as const satisfies OptionSpec;
const maxSteps = {
  value: 'N',
  doc: 'the step budget of a run (scheduling decisions); a run that spends it ends with a finding saying so',
  default: String(DEFAULT_MAX_STEPS),
  only: { runtime: 'sim', is: "the sim runtime's step budget" },
} as const satisfies OptionSpec;

const progress = { doc: 'progress on stderr even off a TTY (a CI log, a pipe): a line at the first run, then at most one a second' } as const satisfies OptionSpec;
const maxSaved = {
  value: 'N',
  doc: 'run folders kept under .rootrace/ (or $ROOTRACE_DIR): when this invocation saves one, the oldest beyond N are removed (rootrace clean removes them all)',
  default: String(DEFAULT_MAX_SAVED),
} as const satisfies OptionSpec;

/** What the long commands say about SIGINT and SIGTERM, in their --help. */
const INTERRUPTS = 'SIGINT (Ctrl-C) or SIGTERM stops it within a second, after printing and writing the results of the runs that finished; exit 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.';

const OUTPUT = {
  events: { value: 'FILE', doc: 'the inspection stream as NDJSON (one event per line; several runs: FILE.<profile>-<i>.ndjson)' },
  trace: { value: 'FILE', doc: 'a Chrome trace: open in https://ui.perfetto.dev or chrome://tracing' },
  'roots-report': { value: 'FILE', optionalValue: true, doc: 'which roots each ended process held and what became of them (stdout without FILE; JSON with --json)' },
  log: { doc: 'Nix-style log lines (info) behind a time/actor tag' },
  verbose: { short: 'v', multiple: true, doc: 'talkative log lines; -vv debug' },
  debug: { doc: 'debug log lines (as -vv)' },
} as const satisfies Record<string, OptionSpec>;

const EXPORTS = {
  'export-csv': { value: 'FILE', doc: 'the table as CSV' },
  'export-json': { value: 'FILE', doc: "the sweep document (schemaVersion, tool version, platform, root seed): what merge reads; failing points' traces are copied to FILE.traces/ and named relative to FILE" },
  'export-md': { value: 'FILE', doc: 'the table as Markdown, to paste into an issue' },
  'export-html': { value: 'FILE', doc: "one self-contained page: charts of rate and throughput per swept parameter, the table; failing points' traces are copied to FILE.traces/ and linked relatively, so the folder can move" },
} as const satisfies Record<string, OptionSpec>;

const SCENARIO_ARG = '<scenario> is a catalogue name (rootrace scenarios) or a path to a scenario file (.yaml, .yml, .json).';

export const RUN = command({
  name: 'run',
  usage: ['<scenario>'],
  summary: "run a scenario under profiles and report rates and findings, with Nix's error text and the causal chain",
  positionals: 1,
  defaultRuntime: 'threads',
  options: {
    profile: { ...profile, default: "the scenario's profile" },
    'daemon-profile': { value: 'P', doc: "the release of the daemon's workers and collectors, apart from the clients'" },
    runs: { value: 'N', doc: 'runs per profile', default: '1' },
    seed,
    'run-seed': { value: 'S', doc: "one run's own seed, as a finding's rerun: line prints it: each profile runs with exactly this seed (where --seed is the root each run's seed derives from)" },
    set,
    param,
    runtime: { ...runtime, default: 'threads' },
    jitter,
    timeout,
    'max-steps': maxSteps,
    costs: { value: 'default|zero|FILE', doc: "the cost model, over the scenario's own" },
    workers: {
      value: 'N',
      doc: "at most N host threads for the run's actors (they then share threads, as in sweeps)",
      default: String(DEFAULT_MAX_THREADS),
      only: { runtime: 'threads', is: "the threads runtime's cap on host threads (sim runs in one thread)" },
    },
    'time-scale': { value: 'X', doc: 'real ms slept per model ms of cost', default: '0', only: { runtime: 'threads', is: 'real time per model ms on the threads runtime (sim time is virtual)' } },
    crash: {
      value: 'ACTOR@LABEL[#N][:kill|term]',
      multiple: true,
      doc: "kill ACTOR (E1, W(E1) its daemon worker, gc-thread(W(E1)) an auto-GC thread) when it reaches step LABEL for the N-th time (default 1): kill = SIGKILL (no destructors), term = SIGTERM (Nix's destructors run); as the scenario's crash: entries",
    },
    json: {
      doc: 'one JSON document on stdout: schemaVersion, scenario, seed, runs per profile, findings (kind, message, path, seed, profile, causal chain), threads (distinct worker threads that hosted actors, the minimum over runs, and the most busy at once)',
    },
    wide,
    ...OUTPUT,
    'max-saved': maxSaved,
    progress,
  },
  about: `${SCENARIO_ARG}\n\nA run with a finding always saves its events, trace and roots report in a run folder under .rootrace/ (or $ROOTRACE_DIR) and prints where. Exit 0 no finding, 1 finding, 2 usage or input error, 3 internal error.\n\n${INTERRUPTS}`,
  examples: [
    'rootrace run pr-15158 --profile nix-2.33 --runs 20',
    'rootrace run pr-15158 --runtime sim --profile nix-2.33 --seed 7',
  ],
});

export const CHECK = command({
  name: 'check',
  usage: ['[<scenario>…]'],
  summary: 'run scenarios (default: the catalogue) on the profiles they list and compare with what they expect; exit 0 only if all match',
  defaultRuntime: 'threads',
  options: {
    profile: {
      ...profile,
      doc: "check these instead of the profiles each scenario lists (each needs an expectation, its own or the file's default); a variant P+switch=value is compared with P's expectation and reported as CHANGED or not, without deciding the exit code",
    },
    runs: { value: 'N', doc: 'runs per scenario and profile', default: '1' },
    seed: { ...seed, default: '1' },
    runtime: { ...runtime, default: 'threads' },
    jitter,
    timeout,
    'max-steps': maxSteps,
    json,
    progress: { doc: 'progress on stderr even off a TTY (a CI log, a pipe): a line per scenario' },
  },
  about: 'SIGINT or SIGTERM stops it within a second, after printing the scenarios checked so far; exit 130 (SIGINT) or 143 (SIGTERM).',
  examples: ['rootrace check --runtime sim', 'rootrace check pr-15158 ./my-race.yaml --runs 5'],
});

export const EXPLORE = command({
  name: 'explore',
  usage: ['<scenario>'],
  summary: 'sim schedules (PCT, random, or DFS within a preemption bound) until a finding; saves, replays twice and shrinks it',
  options: {
    profile: { value: 'P', doc: 'one profile (P+switch=value allowed)', default: "the scenario's profile" },
    strategy: { value: 'random|pct|dfs', doc: 'how schedules are chosen', default: 'pct' },
    depth: { value: 'd', doc: 'PCT bug depth', default: '3' },
    preemptions: { value: 'b|all', doc: 'DFS preemption bound; all: every interleaving (with the reduction, a complete model check)', default: '1' },
    'no-reduction': { doc: 'DFS without partial-order reduction: every schedule within the bound, not one per trace (distinct traces are still counted)' },
    jobs: { value: 'J', doc: 'the search on J threads: random and PCT share out the schedules (thread i runs every Jth); DFS cuts the tree and shares its parts out as the threads reach them', default: '1' },
    'max-schedules': { value: 'N', doc: 'stop after N schedules', default: '10000' },
    'time-limit': { value: 'S', doc: 'stop after S seconds', default: '60' },
    param,
    set,
    seed,
    all: { doc: 'keep exploring after the first finding; report every distinct one' },
    out: { value: 'DIR', doc: 'where schedule files go', default: '.rootrace/schedules' },
    'no-shrink': { doc: "do not shrink a finding's schedule" },
    'max-steps': { value: 'N', doc: 'the step budget of each schedule (decisions)', default: String(DEFAULT_MAX_STEPS) },
    faults: {
      value: 'kill[,term]',
      doc: "crashes as scheduling choices: the strategy may crash the chosen actor's process at a step (SIGKILL, SIGTERM), recorded in the schedule so replay reproduces it; a client's error from its dead worker is then no finding",
    },
    'max-crashes': { value: 'k', doc: 'at most k crashes per schedule (with --faults)', default: '1' },
    json,
    progress: { doc: 'progress on stderr even off a TTY (a CI log, a pipe): schedules run and findings, at most a line a second' },
  },
  about: `${SCENARIO_ARG}\n\nEach finding's schedule is written to .rootrace/schedules/*.json, shrunk to *.min.json, and printed with the command that replays it.\n\nSIGINT (Ctrl-C) or SIGTERM stops it within a second: the findings so far are printed and their schedules written (not shrunk); exit 130 (SIGINT) or 143 (SIGTERM).`,
  examples: ['rootrace explore pr-15158 --profile nix-2.33 --strategy pct --depth 3', 'rootrace explore my-race.yaml --strategy dfs --preemptions 1 --all', 'rootrace explore pr-15158 --param evaluators=2 --profile nix-2.35 --strategy dfs --jobs 2 --max-schedules 100000 --time-limit 120'],
});

export const CRASHPOINTS = command({
  name: 'crashpoints',
  usage: ['<scenario>'],
  summary: 'what if a process dies here? One sim run lists every step reached (actor, label, occurrence); then one run per crash point, and a table of which points lead to which findings',
  options: {
    profile: { value: 'P', doc: 'one profile', default: "the scenario's profile" },
    signal: { value: 'kill|term', doc: "kill: SIGKILL, no destructors; term: SIGTERM, Nix's destructors run", default: 'kill' },
    param,
    set,
    seed: { ...seed, default: '1' },
    'max-steps': { value: 'N', doc: 'the step budget of each run (decisions)', default: String(DEFAULT_MAX_STEPS) },
    json: { doc: 'every crash point with its findings, the invariant violations it caused and any simulator bug' },
  },
  about: `${SCENARIO_ARG}\n\nEvery run is checked: it ends with a result, its crash lands, every lock is released once every process has ended, and no crash alone breaks GC safety, the closure or liveness. Exit 1 if one of these fails, 0 otherwise (findings a death causes, such as a client reading EOF, are the table).`,
  examples: ['rootrace crashpoints pr-15158 --profile nix-2.35', 'rootrace crashpoints heavy-load --param evaluators=2 --signal term --json'],
});

export const REPLAY = command({
  name: 'replay',
  usage: ['<schedule.json>'],
  summary: 'replay a schedule exactly; print its event hash, where it diverged if the code changed, and its findings',
  options: {
    events: { value: 'FILE', doc: 'the replayed inspection stream as NDJSON' },
    trace: { value: 'FILE', doc: 'the replayed run as a Chrome trace (the artifact to attach to a Nix issue)' },
    json,
  },
});

export const SHRINK = command({
  name: 'shrink',
  usage: ['<schedule.json>'],
  summary: "the smallest schedule that still gives the file's finding (fewest preemptions, then context switches)",
  options: {
    out: { value: 'FILE', doc: 'where the minimal schedule goes', default: '<file>.min.json' },
    'max-replays': { value: 'N', doc: 'replay budget', default: '5000' },
    'time-limit': { value: 'S', doc: 'time budget in seconds', default: '60' },
    json,
  },
  about: 'SIGINT or SIGTERM ends the search as the budget would: the smallest schedule so far is written; exit 130 (SIGINT) or 143 (SIGTERM).',
});

export const REPORT = command({
  name: 'report',
  usage: ['<events.ndjson>'],
  summary: 'render a saved inspection stream (trace, roots report, Nix-style log) without running anything',
  positionals: 1,
  options: {
    trace: OUTPUT.trace,
    'roots-report': { ...OUTPUT['roots-report'], doc: 'the roots report (the default when nothing else is asked for; stdout without FILE)' },
    log: { doc: 'Nix-style log lines (info) on stdout' },
    verbose: OUTPUT.verbose,
    debug: OUTPUT.debug,
    json: { doc: 'the roots report as JSON' },
  },
  about: 'Exit 1 if the recorded run had a finding, as run would have.',
});

export const SCENARIOS = command({
  name: 'scenarios',
  usage: ['', 'show <name|file>'],
  summary: 'the catalogue: summary and expected outcome per profile; `show` prints one scenario file verbatim',
  options: { json: { doc: 'every scenario with its parameters, switches and expectations' } },
});

export const SWEEP = command({
  name: 'sweep',
  usage: ['<scenario>'],
  summary: 'a grid of parameters × profiles, N runs per point on a pool of threads: rates with 95% intervals, throughput, exports, shards',
  defaultRuntime: 'threads',
  options: {
    param: { ...param, value: 'name=v1,v2,…', doc: 'an axis: workers (threads hosting actors) or any scenario parameter' },
    profile: { ...profile, doc: `${profile.doc}; the tables show each profile's rate against the first's at the same point` },
    runs: { value: 'N', doc: 'runs per point', default: '10' },
    seed,
    set,
    runtime: { ...runtime, default: 'threads' },
    jobs: { value: 'J', doc: 'pool threads running independent runs', default: '1' },
    shard: { value: 'i/n', doc: 'run only every n-th run from the i-th; rootrace merge recombines the shards' },
    timeout,
    json: { doc: 'the sweep document on stdout' },
    wide,
    ...EXPORTS,
    'max-saved': maxSaved,
    progress,
  },
  about: `Every export is written, each to a temporary name then renamed; one that fails is reported and the others are still written (exit 2). ${INTERRUPTS} The document then says so (interrupted: signal, runsPlanned).`,
  examples: ['rootrace sweep pr-15158 --param workers=1,2,4 --param evaluators=2,8 --profile nix-2.33,nix-2.35 --runs 20 --jobs 2 --seed 1 --export-html sweep.html'],
});

export const MERGE = command({
  name: 'merge',
  usage: ['<sweep.json>…'],
  summary: 'combine sweep shards (from --export-json) into the whole sweep',
  options: {
    json: { doc: 'the merged sweep document on stdout' },
    partial: { doc: 'merge an incomplete shard set (a shard missing, interrupted or cut short) with a warning naming what is missing, instead of refusing it; the rates are over the runs present' },
    wide,
    ...EXPORTS,
  },
  about: 'The shards must be of one sweep (the same scenario, root seed, runs, runtime, axes, rootrace version and inputs) and, without --partial, all of them: each i/n once, with every run its plan gives it.',
});

export const PROFILES = command({
  name: 'profiles',
  usage: ['', 'show <profile>', 'diff <a> <b>'],
  summary: "every release series (upstream, Lix, Determinate) and what it changed; `show` one release's switches; `diff` two releases",
  options: { json },
});

export const VERSIONS = command({
  name: 'versions',
  usage: ['<scenario>'],
  summary: 'run a scenario on every release; print the release ranges that share an outcome and the switch changes at each boundary',
  defaultRuntime: 'sim',
  options: {
    family: { value: 'upstream|lix|determinate|all', doc: 'which releases', default: 'upstream' },
    runs: { value: 'N', doc: 'runs per distinct set of switches', default: '3' },
    seed: { ...seed, default: '1' },
    runtime: { ...runtime, default: 'sim' },
    param,
    set: { ...set, doc: 'override one switch on every release' },
    jitter,
    timeout,
    json: { doc: 'ranges (family, from, to, releases with ranAs, outcome, boundary changes with refs) and summary' },
  },
  examples: ['rootrace versions pr-15158', 'rootrace versions gc-path-in-use --family all'],
});

export const EXPLAIN = command({
  name: 'explain',
  usage: ['"<error text>"', '<CI log file>', '-'],
  summary: 'which catalogue scenarios make Nix print these error lines, on which releases, and the command that reruns one',
  options: {
    family: { value: 'upstream|lix|determinate|all', doc: 'the releases each scenario runs on', default: 'upstream' },
    runs: { value: 'N', doc: 'runs per scenario and distinct set of switches', default: '2' },
    seed: { ...seed, default: '1' },
    json: { doc: 'each line with its matches: kind, scenarios, their messages, releases and rerun commands' },
  },
  about:
    'Every scenario of the catalogue runs on the sim runtime on every release of the families (releases with the same switches share their runs, as in rootrace versions), and the Nix error texts its runs print are matched against each line given: store hashes, numbers and … do not matter, and a piece of a message (cannot build missing derivation) matches the messages it is part of. Exit 0 when a line was explained, 1 when none was.',
  examples: [
    `rootrace explain "error: path '/nix/store/…-hosts.drv' is not valid"`,
    'rootrace explain ci.log --family all',
    "grep error: ci.log | rootrace explain -",
  ],
});

export const CLEAN = command({
  name: 'clean',
  usage: [''],
  summary: 'remove the run folders saved under .rootrace/ (or $ROOTRACE_DIR), saying what it removed',
  options: {
    keep: { value: 'N', doc: 'keep the N newest run folders', default: '0' },
    schedules: { doc: "also remove explore's schedule files (.rootrace/schedules)" },
    'dry-run': { doc: 'say what would be removed, and remove nothing' },
  },
  about: 'Only what rootrace writes is removed: run folders (<scenario>-seed<S>-<time>), sweep trace folders (sweep-…) and, with --schedules, schedules/; anything else in the folder is left and named.',
  examples: ['rootrace clean', 'rootrace clean --keep 5'],
});

export const CALIBRATE = command({
  name: 'calibrate',
  usage: ['', '--timings <file>'],
  summary: "how the cost model comes from a real Nix's timings; with --timings, the cost file they imply (for --costs)",
  options: {
    timings: { value: 'FILE', doc: 'medians in ms of the commands scripts/calibrate.sh times (YAML or JSON; - for stdin): the cost file they imply goes to stdout' },
    json: { doc: 'the timings, the defaults, the derived costs and how each is derived; with --timings, the timings and costs' },
  },
  about: 'Without --timings: the derivation of the default costs from shared/real-nix-2.8.md, and how to measure another machine. The arithmetic is one (src/scenarios/calibrate.ts) for the defaults, this command and the script.',
  examples: ['rootrace calibrate', 'bash scripts/calibrate.sh | rootrace calibrate --timings - > costs.yaml'],
});

export const HELP = command({
  name: 'help',
  usage: ['[<command>]'],
  summary: "this list, or one command's options",
  options: {},
});

/** In the order `rootrace help` lists them. */
export const COMMANDS = [RUN, CHECK, SCENARIOS, EXPLORE, CRASHPOINTS, REPLAY, SHRINK, REPORT, SWEEP, MERGE, PROFILES, VERSIONS, EXPLAIN, CALIBRATE, CLEAN, HELP] as const;
