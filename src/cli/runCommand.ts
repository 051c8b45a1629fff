/** `rootrace run`: run a scenario under profiles and report rates and findings. */
import { randomInt } from 'node:crypto';
import type { RunManyResult } from '../scenarios/index.js';
import { buildScenario, profileByName, runMany, withOverrides } from '../scenarios/index.js';
import type { RunArgs } from './args.js';

export const SCHEMA_VERSION = 1;

export async function runCommand(a: RunArgs, out: (s: string) => void): Promise<number> {
  const scenario = buildScenario(a.scenario, a.params);
  const profiles = a.profiles.map((p) => withOverrides(profileByName(p), a.sets));
  const seed = a.seed ?? randomInt(0, 0xffff_ffff);
  const r = await runMany(scenario, profiles, a.runs, seed, { jitterUs: a.jitterUs, timeoutMs: a.timeoutMs });
  out(a.json ? JSON.stringify(toJson(r), null, 2) : toText(r));
  return r.findings.length > 0 ? 1 : 0;
}

function toJson(r: RunManyResult): unknown {
  const all = r.profiles.flatMap((p) => p.results);
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario: r.scenario,
    seed: r.seed,
    runs: r.profiles.map((p) => ({ profile: p.profile, runs: p.runs, runsWithFinding: p.runsWithFinding, rate: p.rate })),
    findings: r.findings.map((f) => ({ kind: f.kind, message: f.message, path: f.path, seed: f.seed, profile: f.profile, actor: f.actor, pid: f.pid, chain: f.chain.map((c) => c.what) })),
    threads: {
      distinct: Math.min(...all.map((x) => x.threads.distinct)),
      maxConcurrent: Math.max(...all.map((x) => x.threads.maxConcurrent)),
      perRun: all.map((x) => x.threads.distinct),
    },
  };
}

function toText(r: RunManyResult): string {
  const lines: string[] = [];
  lines.push(`scenario ${r.scenario}   seed ${r.seed}`);
  lines.push('');
  lines.push(`${'profile'.padEnd(24)}${'runs'.padStart(6)}${'with finding'.padStart(14)}${'rate'.padStart(8)}`);
  for (const p of r.profiles) {
    lines.push(`${p.profile.padEnd(24)}${String(p.runs).padStart(6)}${String(p.runsWithFinding).padStart(14)}${p.rate.toFixed(2).padStart(8)}`);
  }
  const distinct = new Map<string, (typeof r.findings)[number]>();
  for (const f of r.findings) {
    const key = `${f.profile}|${f.kind}|${f.message.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '/nix/store/…-')}`;
    if (!distinct.has(key)) distinct.set(key, f);
  }
  if (distinct.size === 0) lines.push('', 'no findings');
  for (const f of distinct.values()) {
    lines.push('', `[${f.profile}] ${f.kind}: error: ${f.message}`, `  failed in ${f.actor} (pid ${f.pid}); run seed ${f.seed}`);
    for (const c of f.chain) lines.push(`  - ${c.what}`);
  }
  return lines.join('\n');
}
