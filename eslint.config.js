import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const electronModules = ['electron', 'electron/*', 'electron-updater']

/** Layering, enforced: who may import electron, node and the main side. See docs/CONVENTIONS.md. */
const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({
        name,
        message: 'Not allowed in this layer (see docs/CONVENTIONS.md).',
      })),
      patterns,
    },
  ],
})

const mainPatterns = [
  {
    group: ['**/renderer/**', '**/preload/**'],
    message: 'The engine does not import the UI or preload.',
  },
]
/** Outside src/main/checkpoints/ only its facade (`index.ts`), never its store, git layer or glue. */
const checkpointsFacade = {
  group: ['**/checkpoints/*'],
  message: 'Import the checkpoints domain through its facade (../checkpoints).',
}
const checkpointGlue = [
  'engine-checkpoints',
  'handlers',
  'workspace-stores',
  'checkpoint-log',
  'foreign-runs',
]
/** Only the hosts build or hold the engine; a domain gets what it needs as arguments. */
const compositionRoot = {
  group: ['**/host/engine', '**/host/engine-types'],
  message: 'A domain never imports the composition root: take what you need as a typed argument.',
}
/** The hosts: they construct the engine (src/main/index.ts, host/, cli/, web/, ipc/, desktop/). */
const hostFiles = [
  'src/main/index.ts',
  'src/main/host/**/*.ts',
  'src/main/cli/**/*.ts',
  'src/main/web/**/*.ts',
  'src/main/ipc/**/*.ts',
  'src/main/desktop/**/*.ts',
]
/** Contract files hold schemas: zod, their siblings and the shared schema modules, nothing else. */
const contractOnlySchemas = {
  regex:
    '^(?!(zod|\\./[\\w-]+|\\.\\./(model|entries|events|terminals|errors|wire|rewind|layout))$)',
  message:
    'A contract file imports only zod, its sibling files and the shared schema modules (nothing that runs).',
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'native/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [...electronModules, ...nodeBuiltins, 'react', 'react-dom', 'ws', 'better-sqlite3'],
      [
        {
          group: ['**/main/**', '**/renderer/**', '**/preload/**'],
          message: 'src/shared depends on nothing but itself and zod.',
        },
      ],
    ),
  },
  {
    files: ['src/shared/contract/**/*.ts'],
    rules: restrict(
      [...electronModules, ...nodeBuiltins],
      [
        {
          group: ['**/main/**', '**/renderer/**', '**/preload/**'],
          message: 'src/shared depends on nothing but itself and zod.',
        },
        contractOnlySchemas,
      ],
    ),
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: hostFiles,
    rules: restrict(electronModules, [...mainPatterns, checkpointsFacade, compositionRoot]),
  },
  {
    files: hostFiles,
    ignores: ['src/main/index.ts', 'src/main/desktop/**', 'src/main/ipc/**'],
    rules: restrict(electronModules, [...mainPatterns, checkpointsFacade]),
  },
  {
    files: ['src/main/index.ts', 'src/main/desktop/**/*.ts', 'src/main/ipc/**/*.ts'],
    rules: restrict([], [checkpointsFacade]),
  },
  {
    files: ['src/main/checkpoints/*.ts'],
    rules: restrict(electronModules, [
      ...mainPatterns,
      compositionRoot,
      {
        group: ['**/git', '**/git/**', '**/store/*'],
        message: 'The checkpoint glue uses the store only through ./store (its facade).',
      },
    ]),
  },
  {
    files: ['src/main/checkpoints/git/**/*.ts'],
    rules: restrict(electronModules, [
      ...mainPatterns,
      compositionRoot,
      {
        group: ['**/store', '**/store/**', ...checkpointGlue.map((name) => `**/${name}`)],
        message: 'The git object layer knows nothing of the store above it.',
      },
    ]),
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [...electronModules, ...nodeBuiltins, 'ws', 'better-sqlite3'],
        [
          {
            group: ['**/main/**', '**/preload/**'],
            message: 'The renderer talks to the engine only through the contract client.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(nodeBuiltins, [
      {
        group: ['**/renderer/**', '**/host/**', '**/sessions/**'],
        message: 'The preload exposes the contract transport only.',
      },
    ]),
  },
  prettier,
)
