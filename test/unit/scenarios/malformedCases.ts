/**
 * Every file of test/fixtures/malformed with the field its error must name,
 * the line (null where the file has none to point at) and what the message says.
 * Shared by the unit tests (UsageError) and the CLI tests (exit 2, stderr).
 */
export interface MalformedCase {
  readonly file: string;
  readonly path: string;
  readonly line: number | null;
  readonly says: RegExp;
}

export const MALFORMED: readonly MalformedCase[] = [
  { file: 'bad-findings.yaml', path: 'expect.default.findings', line: 8, says: /expected one of: none, any; got string "never"/ },
  { file: 'bad-expect-ref.yaml', path: 'expect.nix-2.35.kept[1]', line: 13, says: /unknown derivation 'nope'/ },
  { file: 'bad-expression.yaml', path: 'settings.min-free', line: 8, says: /bad integer expression "\$pressure \+": it ends too early/ },
  { file: 'bad-name.yaml', path: 'name', line: 5, says: /expected lower-case letters, digits and dashes, got string "PR 15158"/ },
  { file: 'bad-switch-value.yaml', path: 'set.writeDerivation', line: 7, says: /expected one of: always-add, early-return-no-root, root-then-early-return; got string "maybe"/ },
  { file: 'cut-by-comment.yaml', path: 'source', line: 5, says: /"#15158" starts a YAML comment, so the value is cut to 'NixOS\/nix PR'; quote the whole value/ },
  { file: 'cycle.yaml', path: 'derivations[1].inputDrvs[0]', line: 8, says: /derivation dependency cycle: a -> b -> a/ },
  { file: 'duplicate-drv.yaml', path: 'derivations[1].name', line: 8, says: /duplicate derivation name 'hosts' \(first defined at derivations\[0\]\)/ },
  { file: 'duplicate-key.yaml', path: 'processes[0].kind', line: 9, says: /YAML syntax error: Map keys must be unique/ },
  { file: 'duplicate-process-repeat.yaml', path: 'processes[1].name', line: 8, says: /duplicate process name 'E1'.*copy \{i\}=1/ },
  { file: 'empty.yaml', path: '(top level)', line: 1, says: /expected a scenario.*got nothing/ },
  { file: 'hook-unknown-process.yaml', path: 'hooks[0].process', line: 9, says: /unknown process 'Y' \(defined: X\)/ },
  { file: 'junk-both.yaml', path: 'store.junk[0].of', line: 9, says: /field 'of' is not allowed here; expected junk as/ },
  { file: 'loop-for-zero.yaml', path: 'processes[0].loop.for', line: 8, says: /expected an integer ≥ 1, got 0/ },
  { file: 'loop-without-count.yaml', path: 'processes[0].loop.times', line: 8, says: /missing required field 'times'; expected 'times: N' \(iterations\), 'for: MS' \(model time\) or both/ },
  { file: 'lonely-barrier.yaml', path: 'processes[0].steps[0].barrier', line: 10, says: /barrier 'go' is named only here/ },
  { file: 'missing-required.yaml', path: 'processes[0].kind', line: 7, says: /missing required field 'kind'/ },
  { file: 'missing-top-required.yaml', path: 'source', line: 2, says: /missing required field 'source'/ },
  { file: 'negative-size.yaml', path: 'sources[0].size', line: 7, says: /expected an integer ≥ 0, got -5/ },
  { file: 'param-default-not-int.yaml', path: 'parameters.evaluators.default', line: 7, says: /expected an integer, got number 2\.5/ },
  { file: 'param-out-of-range.yaml', path: 'parameters.evaluators.default', line: 7, says: /default 100 is outside 1\.\.64/ },
  { file: 'profiles-unknown.yaml', path: 'profiles[1]', line: 8, says: /unknown profile 'nix-2\.99'.*known: .*2\.3\.0 … 2\.35\.2/ },
  { file: 'root-second-output.yaml', path: 'store.roots[0].target', line: 8, says: /a root targets drv:NAME or out:NAME/ },
  { file: 'schema-version.yaml', path: 'schemaVersion', line: 2, says: /expected 1, got number 2/ },
  { file: 'syntax-json.json', path: 'processes', line: 8, says: /JSON syntax error: Unexpected token '\]'/ },
  { file: 'syntax-yaml.yaml', path: 'derivations[0].inputDrvs[1]', line: 7, says: /YAML syntax error: Flow sequence/ },
  { file: 'template-without-repeat.yaml', path: 'derivations[0].name', line: 7, says: /'\{i\}' is only replaced in an entry with "repeat"/ },
  { file: 'two-ops-no-instantiate.yaml', path: 'processes[0].steps[0]', line: 11, says: /has 2 fields \(realise, ensurePath\); expected one operation per step/ },
  { file: 'two-ops.yaml', path: 'processes[0].steps[0].realise', line: 12, says: /field 'realise' is not allowed here; expected one operation per step/ },
  { file: 'undefined-param.yaml', path: 'derivations[0].repeat', line: 9, says: /'\$evalutors' names an undefined parameter \(parameters: \$evaluators\)/ },
  { file: 'unknown-drv-full-step.yaml', path: 'processes[0].steps[0].drv', line: 11, says: /unknown derivation 'nope' \(defined: hosts\)/ },
  { file: 'unknown-drv-step.yaml', path: 'processes[1].steps[0].instantiate', line: 16, says: /unknown derivation 'hosst' \(defined: hosts\)/ },
  { file: 'unknown-field.json', path: 'processes[0].steps[0].addroot', line: 8, says: /unknown step operation 'addroot'/ },
  { file: 'unknown-field.yaml', path: 'derivations[1].inputDrv', line: 9, says: /unknown field 'inputDrv' \(expected one of: name, inputDrvs,/ },
  { file: 'unknown-finding-kind.yaml', path: 'expect.nix-2.33.findings[0]', line: 10, says: /expected one of: invalid-reference, .*got string "invalid-ref"/ },
  { file: 'unknown-op-full.yaml', path: 'processes[0].steps[0].op', line: 11, says: /unknown step operation "build" \(expected one of: instantiate,/ },
  { file: 'unknown-op.yaml', path: 'processes[0].steps[1].instntiate', line: 12, says: /unknown step operation 'instntiate'/ },
  { file: 'unknown-process.yaml', path: 'processes[0].steps[0].awaitExit', line: 10, says: /unknown process 'Y' \(defined: X\)/ },
  { file: 'unknown-profile-expect.yaml', path: 'expect.nix-9.9', line: 10, says: /unknown profile 'nix-9\.9'/ },
  { file: 'unknown-profile.yaml', path: 'profile', line: 6, says: /unknown profile 'nix-3\.0'.*known: / },
  { file: 'unknown-root-target.yaml', path: 'store.roots[0].target', line: 9, says: /unknown derivation 'host' \(defined: hosts\)/ },
  { file: 'unknown-source.yaml', path: 'derivations[0].inputSrcs[0]', line: 8, says: /unknown source 'host-src' \(defined: hosts-src\)/ },
  { file: 'unknown-switch.yaml', path: 'set.fetcherCache', line: 8, says: /unknown switch 'fetcherCache'/ },
  { file: 'unknown-top-field.yaml', path: 'descripton', line: 6, says: /unknown field 'descripton'/ },
  { file: 'wrong-type-list.yaml', path: 'derivations[1].inputDrvs', line: 8, says: /expected a list, got string "hosts"/ },
  { file: 'wrong-type.yaml', path: 'settings.keep-derivations', line: 7, says: /expected true or false, got string "yes"/ },
];
