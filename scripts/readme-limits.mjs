// Rewrites README.md's table of input limits from src/scenarios/file/limits.ts (run after `npm run build`): `npm run readme`.
import { limitsMarkdown } from '../dist/src/scenarios/file/limits.js';
import { rewriteReadmeBlock } from './readme-block.mjs';

rewriteReadmeBlock('limits', limitsMarkdown());
