const { TestEnvironment } = require('jest-environment-jsdom');

/**
 * jsdom has no fetch API; the engine client builds real Responses and the integration tests call a real engine, so
 * the Node implementations are handed to the test window.
 */
class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'fetch',
      'Response',
      'Request',
      'Headers',
      'AbortController',
      'AbortSignal',
      'TextDecoderStream',
      'ReadableStream',
    ]) {
      if (globalThis[name] !== undefined) {
        this.global[name] = globalThis[name];
      }
    }
  }
}

module.exports = JsdomWithFetchEnvironment;
