/** Jest for Stryker: only the pure unit and property tests, no shared dev server (BATON_TEST_NO_SERVER=1). */
process.env.BATON_TEST_NO_SERVER = '1';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit', '<rootDir>/test/property'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
};
