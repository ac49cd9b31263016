// Lint: keeps workflow and shared code deterministic and free of Node builtins (the sandbox would reject them at runtime).
const tseslint = require('typescript-eslint');

const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'timers', 'tls', 'url', 'util', 'worker_threads', 'zlib'];

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'lib/**', '.baton/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((name) => [
            { name, message: 'Workflow and shared code runs in the Temporal sandbox: no Node builtins.' },
            { name: `node:${name}`, message: 'Workflow and shared code runs in the Temporal sandbox: no Node builtins.' },
          ]),
          patterns: [
            { group: ['**/activities', '**/activities/**', '**/agents/**', '**/client/**', '**/server/**', '**/workers/**'], allowTypeImports: true, message: 'Import Node-side code as types only.' },
            { group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity', '@anthropic-ai/sdk'], allowTypeImports: true, message: 'Not available in the workflow sandbox.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use wf.uuid4() or a counter in state: Math.random is not deterministic across workers.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the time in (workflow: new Date(Date.now())); shared code takes `now` as an argument.' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process in workflow code.' }, { name: 'require', message: 'No require in workflow code.' }],
    },
  },
);
