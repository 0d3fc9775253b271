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
       * only through this plugin's /engine pass-through.
       * @visibility secret
       */
      token?: string;
      /**
       * Seconds before a call to the engine is abandoned. Defaults to 30.
       */
      timeoutSeconds?: number;
    };
    proxy?: {
      /**
       * Engine paths (below /api/v1) that signed-in users may POST to through /engine. GETs are always allowed.
       * Defaults to analysis-only endpoints: rca, forecast, scale-plan, assistant/ask, assistant/feedback. Mutating
       * endpoints (repairs, demo faults) stay closed unless listed here.
       */
      allowPost?: string[];
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
