// The browser test: the built plugin in headless Chromium against a real engine (`npm run test:browser`).
const base = require('./jest.config');

module.exports = {
  ...base,
  testEnvironment: 'node',
  setupFilesAfterEnv: [],
  testMatch: ['<rootDir>/browser/**/*.test.ts'],
  testTimeout: 90000,
};
