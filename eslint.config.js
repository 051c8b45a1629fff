// Lint: typed rules plus the folder import rules of DESIGN.md §1.
// Allowed: messages ← store ← actors ← runtime ← scenarios ← cli; report ← messages; cli may import report.
import tseslint from 'typescript-eslint';

const layers = ['messages', 'store', 'actors', 'runtime', 'scenarios', 'report', 'cli'];
/** Which sibling folders each layer may import. */
const allowed = {
  messages: [],
  store: ['messages'],
  actors: ['messages', 'store'],
  runtime: ['messages', 'store', 'actors'],
  scenarios: ['messages', 'store', 'actors', 'runtime'],
  report: ['messages'],
  cli: ['messages', 'store', 'actors', 'runtime', 'scenarios', 'report'],
};
/** Packages that only the runtime may touch (actors talk to an injected context). */
const threadPackages = ['node:worker_threads', 'worker_threads', 'piscina', 'comlink'];

const layerRules = layers.map((layer) => {
  const forbidden = layers.filter((l) => l !== layer && !allowed[layer].includes(l));
  const patterns = forbidden.length === 0 ? [] : [{
    group: forbidden.flatMap((l) => [`../${l}/*`, `../${l}`, `../../${l}/*`]),
    message: `src/${layer} may import only: ${allowed[layer].join(', ') || 'nothing else'} (DESIGN.md §1).`,
  }];
  const paths = [];
  if (layer !== 'runtime' && layer !== 'cli') {
    for (const name of threadPackages) {
      paths.push({ name, message: 'Only src/runtime hosts threads; other layers talk to an injected context.' });
    }
  }
  if (layer === 'messages') {
    patterns.push({ group: ['node:*'], message: 'src/messages is the vocabulary: no Node imports.' });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.rootrace/**', 'eslint.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Randomness comes from the context (ctx.random) or a seeded PRNG.' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...layerRules,
);
