export interface Config {
  /** The frontend plugin reads no config of its own: the engine's URL and token live in the backend's `aicloudops` section. */
  aicloudops?: {};
}
