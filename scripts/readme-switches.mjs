// Rewrites README.md's switch table from the profiles (run after `npm run build`): `npm run readme`.
import { switchTableMarkdown } from '../dist/src/scenarios/index.js';
import { rewriteReadmeBlock } from './readme-block.mjs';

rewriteReadmeBlock('switches', switchTableMarkdown());
