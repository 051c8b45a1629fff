export { PROFILES, profileByName, withOverrides } from './profiles.js';
export { CATALOGUE, buildScenario, type CatalogueEntry } from './catalogue.js';
export { runMany, type ProfileSummary, type RunManyResult } from './runMany.js';
