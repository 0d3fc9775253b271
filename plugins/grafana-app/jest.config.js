// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const [swcTransform] = Object.values(base.transform);

module.exports = {
  ...base,
  // d3-color and friends ship only .mjs, which the scaffold's transform key does not match.
  transform: { '^.+\\.(t|j)sx?$|^.+\\.mjs$': swcTransform },
  // jsdom resolves packages with the `browser` condition; yaml's browser build is ESM only, its Node build is not.
  moduleNameMapper: { ...base.moduleNameMapper, '^yaml$': require.resolve('yaml') },
  // jsdom plus the Node globals (fetch, Response) that talking to a real engine needs.
  testEnvironment: '<rootDir>/jest.environment.js',
  // Lazy-loaded pages and a real engine process are slow on a shared 2-core machine.
  testTimeout: 30000,
};
