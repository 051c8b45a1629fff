export { PROFILES, profileByName, withOverrides, switchTableMarkdown } from './profiles.js';
export { costsArg, costsFrom } from './costs.js';
export { runMany, openRunHost, DEFAULT_MAX_THREADS, type ProfileSummary, type RunHost, type RunManyOptions, type RunManyResult } from './runMany.js';
export { catalogueNames, listScenarios, openScenario, profilesFor, type ScenarioEntry } from './file/entry.js';
export type { ExpandedScenario } from './file/expand.js';
export { compare, describeExpectation, describeObserved, type Expectation, type Verdict } from './file/expectations.js';
export { scenarioBuilder, type ScenarioBuilder } from './sweep/builder.js';
export { crashSweep, showFindings, type CrashOutcome, type CrashSweepOptions, type CrashSweepReport, type ShownFinding } from './crashSweep.js';
