/** Unit, contract and e2e tests in one run; ts-jest transpiles only (`npm run typecheck` checks types). */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleNameMapper: {
    '^@casetrail/(event-store|projections|kernel|testing)$': '<rootDir>/libs/$1/src',
    '^@casetrail/(event-store|projections|kernel|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
  // Builds .test-build/ once per run for the tests' child processes (CLI, server): see test/support/built.ts.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/slowest-files-reporter.js'],
  // A cap for a test that hangs, not a speed check: generous, since CI machines may be busy.
  testTimeout: 180000,
};
