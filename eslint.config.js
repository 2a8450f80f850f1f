import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outsiders = 'outsiders talk to the server over its API (use @fanzha/contracts)';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      '**/test-results/**',
      'eslint.config.js',
      'packages/cli/bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify handlers and test callbacks are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    files: ['packages/web/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Dependencies point one way: domain ← contracts ← everything else; outsiders never reach into the server.
  {
    files: ['packages/domain/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@fanzha/*', 'node:*', 'fastify', 'kysely', 'pg', '@nats-io/*', 'react'],
              message: 'domain is pure: no I/O, no framework, no other package',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'take a Clock or a date parameter' },
      ],
    },
  },
  {
    files: ['packages/contracts/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@fanzha/server',
                '@fanzha/web',
                '@fanzha/simulator',
                '@fanzha/cli',
                '@fanzha/e2e',
                'node:*',
              ],
              message: 'contracts depend only on domain',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/{web,simulator,cli,e2e}/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // Only the CLI's maintenance commands may use the server's one public entry, `@fanzha/server/admin`.
            { regex: '^@fanzha/server(/(?!admin$).*)?$', message: outsiders },
            { group: ['**/server/src/**'], message: outsiders },
          ],
        },
      ],
    },
  },
  // The simulator runs inside the demo server's process too: it may depend on contracts, domain and the NATS
  // client only (this block replaces the outsiders' rule for it, so it repeats the server patterns).
  {
    files: ['packages/simulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@fanzha/server', '@fanzha/server/*', '**/server/src/**'], message: outsiders },
            {
              group: ['@fanzha/web', '@fanzha/cli', '@fanzha/e2e', 'fastify', 'kysely', 'pg', 'react'],
              message: 'the simulator depends only on @fanzha/contracts, @fanzha/domain and the NATS client',
            },
          ],
        },
      ],
    },
  },
  // Only the server's process entry starts the demo's simulated province; the server proper never needs it.
  {
    files: ['packages/server/src/**'],
    ignores: ['packages/server/src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@fanzha/simulator'], message: 'only main.ts starts the demo simulation' }] },
      ],
    },
  },
  // The server's module graph: a module reaches another only through its index.ts and never the app's wiring;
  // the platform never reaches a module. (These blocks repeat the simulator pattern above: a later block's
  // no-restricted-imports replaces an earlier one's.) Cycles are caught by src/module-graph.test.ts.
  {
    files: ['packages/server/src/modules/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@fanzha/simulator'], message: 'only main.ts starts the demo simulation' },
            {
              regex: '^\\.\\./(?!\\.)[^/]+/(?!index$)[^/]+',
              message: 'another module only through its index.ts',
            },
            {
              regex: '^(\\.\\./)+(app|start|main)$',
              message: 'a module takes its own narrow deps, not the app',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@fanzha/simulator'], message: 'only main.ts starts the demo simulation' },
            { group: ['**/modules/**'], message: 'the platform never imports a module' },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/test-*.ts',
      'packages/server/testing/**',
      '**/*-fixture.ts',
      '**/*.contract.ts',
    ],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
