// Lint rules: typescript-eslint's recommended set, type-aware where it catches real bugs
// (floating promises in I/O shells are how a flight loop dies silently).
import tseslint from 'typescript-eslint';

// The agent boundary (issue 14 §1): what ships to a companion computer depends only on core,
// proto, firmware-bridge, the MQTT runtime and security. Applied to the agent, its command and the
// layers below it; test/agent/boundary.test.ts checks the whole import closure as well. The one
// engine it may use is engines/video (S2's transcoding model: pure, imports only core).
const AGENT_FORBIDDEN = {
  patterns: [
    { group: ['**/sim/**', '**/sim/*'], message: 'the agent must not depend on the simulator (issue 14): take what it needs from its UavProfile or move a pure piece to core/' },
    { group: ['**/engines/planning/**', '**/engines/scheduling/**'], message: 'the agent must not load the planning engines (they reach highs and onnx warm starts): move the tiny pure piece it needs to core/' },
    { group: ['**/controller/**', '**/mission/**', '**/trainer/**', '**/experiments/**', '**/replay/**', '**/report/**', '**/view/**'], message: 'the agent must not depend on ground-side apps (issue 14)' },
    { group: ['**/common/broker.ts', '**/common/recorder.ts', '**/common/index.ts'], message: 'the agent must not load the embedded broker or the recorder (the common barrel loads both): import apps/common/log.ts or bus.ts' },
    { group: ['aedes', 'aedes/**', 'highs', 'highs/**', '@tensorflow/**', 'tsx', 'tsx/**'], message: 'not a dependency of the agent package (issue 14)' },
  ],
};
const AGENT_FILES = [
  'apps/agent/**/*.ts', 'apps/cli/agent-main.ts', 'apps/cli/run-command.ts', 'apps/cli/start-errors.ts', 'apps/cli/commands/agent.ts',
  'apps/cli/clock-options.ts', 'apps/cli/broker-auth.ts', 'apps/cli/args.ts', 'apps/cli/command.ts',
  'apps/common/log.ts', 'apps/common/bus.ts', 'apps/security/plan-signing.ts', 'apps/security/mavlink-signing.ts',
  'core/**/*.ts', 'proto/**/*.ts', 'firmware-bridge/**/*.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tmp/**', '**/*.tmp.ts', 'runs/**', 'models/**', 'docs/**', 'proto/gen/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: AGENT_FILES,
    ignores: ['**/*.test.ts', '**/*.bench.ts', '**/fixtures/**'],
    rules: { 'no-restricted-imports': ['error', AGENT_FORBIDDEN], '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
