/** Jest for Stryker: only the pure unit and property tests, no shared dev server (BATON_TEST_NO_SERVER=1). */
const fs = require('node:fs');
const path = require('node:path');

process.env.BATON_TEST_NO_SERVER = '1';
// Property tests cover nearly every reducer, so each mutant runs them: fewer runs per mutant keep it affordable.
process.env.BATON_PROPERTY_RUNS ??= '10';
// The growth tests drive thousands of tasks through the reducers; smaller sizes still cross every limit (test/support/growth-sim.ts).
process.env.BATON_QUICK_GROWTH ??= '1';
module.exports = {
  testEnvironment: 'node',
  roots: ['test/unit', 'test/property'].filter((d) => fs.existsSync(path.join(__dirname, d))).map((d) => `<rootDir>/${d}`),
  testMatch: ['**/*.test.ts'],
  // Random-seeded (not fixed) property tests would turn a chance failure into a kill; they run in npm test.
  testPathIgnorePatterns: ['/node_modules/', 'roadmap-seed003-property'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
};
