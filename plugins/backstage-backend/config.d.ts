export interface Config {
  /**
   * AI-CloudOps. When this section is missing the backend plugin logs a warning and serves only /health.
   */
  aicloudops?: {
    engine: {
      /**
       * Base URL of the AI-CloudOps engine as the Backstage backend reaches it, e.g. http://aicloudops-engine:8080.
       */
      baseUrl: string;
      /**
       * Bearer token the backend sends to the engine. It never reaches the browser: the frontend calls the engine
       * only through this plugin's /engine pass-through. When the engine refuses it (401, or 403 for its scopes, its
       * role on a call that is not a read, or actsForUsers), signed-in users get 502 `EngineTokenRefusedError`
       * naming this key (never the value) and the backend warns once per reason.
       * @visibility secret
       */
      token?: string;
      /**
       * Token sent instead of `token` on calls that change a cluster (needs the engine's admin role for `apply`).
       * Only used with `proxy.allowClusterChanges`.
       * @visibility secret
       */
      actionToken?: string;
      /**
       * Whether every forwarded call names the signed-in user to the engine (`X-AICloudOps-User: user:default/jane`),
       * so the engine records acknowledgements and repair decisions as `user:default/jane via <token name>` instead
       * of the token's name. Defaults to false. Needs `actsForUsers: true` on this backend's token(s) (`token`, and
       * `actionToken` if set) in the engine's `server.auth.tokens`: the engine refuses the header (403) from any other
       * token.
       */
      actsForUsers?: boolean;
      /**
       * Seconds before a call to the engine is abandoned. Defaults to 30.
       */
      timeoutSeconds?: number;
    };
    proxy?: {
      /**
       * Whether signed-in users may reach the engine calls that change a cluster (applying a replica plan, approving
       * a repair). Defaults to false: refused whatever the permission policy says. When true, the permission policy
       * decides (`aicloudops.apply`, `aicloudops.repair.approve`). Reads need `aicloudops.read`, analyses
       * `aicloudops.analysis.run` (cancelling another user's job `aicloudops.jobs.cancel.any`); the engine's admin
       * routes (ingest, config, demo faults) are never forwarded. Signed-in users read it at `GET /settings`
       * (`{ "clusterChanges": false }`): the entity tab disables Approve while it is false, naming this key.
       */
      allowClusterChanges?: boolean;
      /**
       * Event streams (job progress, the assistant's streamed answer, live feeds) one signed-in user may hold open
       * through the pass-through at once; more are refused with 429 and Retry-After. Defaults to 10. The engine sees
       * every portal user as the backend's token and caps that token's streams too (`server.maxSseStreamsPerCaller`,
       * default 100): raise it for the portal's token when many users stream at once.
       */
      maxStreamsPerUser?: number;
    };
    search?: {
      /**
       * Whether the search collator indexes the engine's knowledge base. Defaults to true.
       */
      enabled?: boolean;
      /**
       * Base that relative document paths are joined to when a knowledge-base document has no URL of its own.
       */
      documentBaseUrl?: string;
      /**
       * How often the knowledge base is re-indexed, in minutes. Defaults to 60.
       */
      refreshMinutes?: number;
    };
  };
}
