// The browser test (`npm run test:browser`): the dev app built for production, in Debian's Chromium
// (/usr/bin/chromium or CHROMIUM_PATH) through playwright-core, against the real dev backend and a demo engine.
/* global require, module, __dirname */

const swc = require.resolve('@backstage/cli-module-test-jest/config/jestSwcTransform');

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/browser/**/*.browser.test.ts'],
  testEnvironment: 'node',
  transform: { '\\.ts$': [swc, { jsc: { parser: { syntax: 'typescript' } } }] },
  // The production build (~50 s on a busy 2-core machine), a backend and an engine start in beforeAll.
  testTimeout: 240000,
  // rspack's native compiler keeps handles open after the build is done; every process the test starts is stopped
  // in afterAll.
  forceExit: true,
};
