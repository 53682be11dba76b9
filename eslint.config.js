// ESLint flat config. Besides style and type-aware checks it enforces the layer arrows of
// docs/design.md: sim imports only shared and bitecs; shared imports nothing outside itself but
// typebox; client never reaches server, sim or migrations; only server/config.ts reads
// process.env; sim never touches the wall clock or Math.random.
// dev/ holds test and dev tools (the fake Telegram Bot API). The server never imports it
// statically; server/telegram/dev-bot-api.ts declares the interface the server needs and is
// the one file allowed to load dev/, with a dynamic import() in dev mode only. dev/ imports
// shared/, Node, fastify, grammy and pino, and from server/ nothing but the types of that
// interface file (`import type`), so the arrow between the two stays one interface wide.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outside = (...dirs) => `^(\\.\\.?/)+(.*/)?(${dirs.join('|')})(/|$)`;

const layer = (message, ...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((regex) => ({ regex, message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify plugins are async by contract even when they register routes synchronously.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through server/config.ts.' },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['sim/**/*.ts'],
    rules: {
      ...layer(
        'sim may import only shared/ and bitecs (docs/design.md layers).',
        '^(?!\\.|bitecs$)',
        outside('server', 'client', 'migrations', 'bench', 'test'),
      ),
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'sim gets time as dt, never from the wall clock.' },
        { name: 'performance', message: 'sim gets time as dt, never from the wall clock.' },
        { name: 'setTimeout', message: 'sim has no timers.' },
        { name: 'setInterval', message: 'sim has no timers.' },
        { name: 'process', message: 'sim has no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG on the world.' },
      ],
      'no-restricted-syntax': ['error', { selector: 'AwaitExpression', message: 'sim is synchronous.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: layer(
      'shared may import only shared/ and typebox (docs/design.md layers).',
      '^(?!\\.|typebox(/|$))',
      outside('server', 'sim', 'client', 'migrations', 'bench', 'test'),
    ),
  },
  {
    files: ['client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer(
      'client may import only shared/ and browser packages (docs/design.md layers).',
      '^node:',
      outside('server', 'sim', 'migrations', 'bench', 'test'),
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      ...layer('server must not import the client, dev tools, benches or tests (docs/design.md layers).', outside('client', 'dev', 'bench', 'test')),
      'no-restricted-syntax': [
        'error',
        {
          // An esquery regex cannot hold a literal slash: it is written as the escape x2F.
          selector: 'ImportExpression[source.value=/(^|\\x2F)dev\\x2F/]',
          message: 'Only server/telegram/dev-bot-api.ts loads dev/ (docs/design.md layers).',
        },
      ],
    },
  },
  {
    // The single loader of dev/: a dynamic import() behind the DevBotApi interface.
    files: ['server/telegram/dev-bot-api.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['dev/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.|node:|fastify$|grammy(/|$)|pino$)', message: 'dev may import only shared/, Node, fastify, grammy and pino (docs/design.md layers).' },
            { regex: outside('client', 'sim', 'migrations', 'bench', 'test'), message: 'dev may import only shared/ and itself (docs/design.md layers).' },
            {
              regex: '^(\\.\\./)+server/(?!telegram/dev-bot-api\\.js$)',
              message: 'dev may import from server/ only the types of server/telegram/dev-bot-api.ts (docs/design.md layers).',
            },
            {
              regex: '^(\\.\\./)+server/telegram/dev-bot-api\\.js$',
              allowTypeImports: true,
              message: 'dev may import server/telegram/dev-bot-api.ts with `import type` only (docs/design.md layers).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: layer(
      'migrations may import only kysely (docs/design.md layers).',
      '^(?!\\.|kysely$)',
      outside('server', 'sim', 'client', 'shared', 'bench', 'test'),
    ),
  },
  {
    // scripts/cluster.ts hands its environment (REDIS_URL, DATABASE_URL, PATH) to the processes it starts.
    files: ['server/config.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/cluster.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      // Response bodies in tests are checked by assertions, not by types.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
