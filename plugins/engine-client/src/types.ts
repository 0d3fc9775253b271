import type { components, operations } from './generated/openapi.js';

/*
 * The engine's wire types under the names the plugins and the engine's CLI use, taken from the types generated
 * from the engine's OpenAPI document (./generated/openapi.ts), so nothing here is written out by hand and nothing
 * needs zod or the engine. Requests are the schemas' input side (what a client may send, defaults optional);
 * responses their output side (what the engine sends).
 */
type Schemas = components['schemas'];
/** The JSON body of an operation's 200 answer, for responses the routes declare inline rather than by name. */
type Ok<Op extends keyof operations> = operations[Op]['responses'] extends {
  200: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
/** An operation's query string parameters. */
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

// Cluster and jobs (engine/src/schemas/core.ts).
export type Readiness = Schemas['Readiness'];
export type HealthCheck = Schemas['HealthCheck'];
export type WorkloadHealth = Schemas['WorkloadHealth'];
export type PodInfo = Schemas['PodInfo'];
export type ContainerInfo = PodInfo['containers'][number];
export type WorkloadHealthState = WorkloadHealth['health'];
export type EventInfoDto = Schemas['EventInfo'];
export type FaultDto = Schemas['Fault'];
export type JobRecordDto = Schemas['JobRecord'];
export type JobStatus = JobRecordDto['status'];
/** The kinds of job the engine runs (its jobs/jobKinds.ts): what GET /jobs?kind= accepts. */
export type JobKind = NonNullable<Query<'getJobs'>['kind']>;
/**
 * A series as the engine sends it: values are numbers, or "+Inf", "-Inf", "NaN" as Prometheus writes them (JSON has
 * no such numbers).
 */
export type RangeSeriesWire = Schemas['RangeSeries'];
/** A PromQL sample value on the wire: a number, or "+Inf", "-Inf", "NaN". */
export type PromValue = RangeSeriesWire['values'][number];
/** A series as EngineClient.queryRange returns it: the wire's "+Inf", "-Inf", "NaN" decoded to JS numbers. */
export type RangeSeriesDto = Omit<RangeSeriesWire, 'values'> & { values: number[] };
export type SignalInfo = Schemas['SignalInfo'];
export type ErrorBodyDto = Schemas['ErrorBody'];
/** An entry of GET /api/v1/clusters, whose schema is declared inline in the route. */
export type ClusterInfo = Ok<'getClusters'>['items'][number];
/** GET /api/v1/signals: the signal templates plus the label and window their results use. */
export type SignalCatalog = Ok<'getSignals'>;
/** The query_range parameters as the client sends them (unix seconds). */
export type RangeQuery = Query<'getMetricsQueryRange'>;
/**
 * A job record whose result type is known from the call that started it (an RCA job resolves with an RcaResult):
 * the job schema keeps `result` unknown because one job store serves every kind.
 */
export type JobRecordOf<R> = Omit<JobRecordDto, 'result'> & { result?: R };

// Root-cause analysis (engine/src/rca/schemas.ts).
export type RcaRequest = Schemas['RcaRequestBodyInput'];
export type RcaResult = Schemas['RcaResult'];
export type RcaCandidate = Schemas['Candidate'];
export type MetricEvidence = Schemas['MetricEvidence'];
export type LogEvidence = Schemas['LogEvidence'];
export type EventEvidence = Schemas['EventEvidence'];
export type ChangeEvidenceOut = Schemas['ChangeEvidence'];

// Assistant (engine/src/assistant/schemas.ts).
export type AskRequest = Schemas['AskRequestInput'];
export type Answer = Schemas['Answer'];
export type Citation = Schemas['Citation'];
export type ToolCallRecord = Schemas['ToolCallRecord'];
export type SearchResult = Schemas['SearchResult'];
export type FeedbackRequest = Schemas['FeedbackRequestInput'];
export type FeedbackRecord = Schemas['FeedbackRecord'];
export type IngestRequest = Schemas['IngestRequestInput'];
export type KnowledgeDocument = Schemas['KnowledgeDocument'];
export type RemovedSource = Schemas['RemovedSource'];
export type Conversation = Schemas['Conversation'];
export type ConversationTurn = Schemas['ConversationTurn'];

// Forecasting and scaling (engine/src/forecast/schemas.ts).
export type ForecastRequestInput = Schemas['ForecastRequestInput'];
export type ForecastRequest = ForecastRequestInput;
export type ForecastResponse = Schemas['ForecastResponse'];
export type ForecastPoint = Schemas['ForecastPoint'];
export type ScalePlanRequestInput = Schemas['ScalePlanRequestInput'];
export type ScalePlanRequest = ScalePlanRequestInput;
export type ScalePlanResponse = Schemas['ScalePlanResponse'];
export type TrainRequest = Schemas['TrainRequestInput'];
export type BacktestRequest = Schemas['BacktestRequestInput'];
/** A `forecast.backtest` job's result: each model's and baseline's errors per horizon. */
export type BacktestResult = Schemas['BacktestResult'];
export type HorizonMetrics = Schemas['HorizonMetrics'];
/** A `forecast.train` job's result: the stored model version. */
export type ModelVersion = Schemas['ModelVersion'];
/** GET /api/v1/forecast/models: one page of stored model versions by series. */
export type ModelList = Ok<'getForecastModels'>;

// Alerts and incidents (engine/src/alerts/schemas.ts).
export type AlertDto = Schemas['AlertDto'];
export type AlertStats = Schemas['AlertStats'];
export type AlertmanagerWebhook = Schemas['AlertmanagerWebhookInput'];
export type GenericAlert = Schemas['GenericAlertInput'];
export type IncidentDto = Schemas['IncidentDto'];
/** An alert of an incident with the reason it joined (the grouping rule or service-graph edge). */
export type IncidentAlert = IncidentDto['alerts'][number];
export type MergeReason = NonNullable<IncidentAlert['merge']>;
export type IngestResult = Schemas['IngestResult'];
export type SuppressionDto = Schemas['SuppressionDto'];
export type SuppressionRequest = Schemas['SuppressionBodyInput'];

// Repair (engine/src/repair/repairSchemas.ts).
export type FindingDto = Schemas['Finding'];
export type PlannedActionDto = Schemas['PlannedAction'];
export type RepairActionDto = Schemas['ActionRecord'];
export type RepairAuditRecordDto = Schemas['AuditRecordDto'];
export type RepairAuditVerification = Schemas['AuditVerification'];
export type RepairAuditQuery = Query<'getRepairAudit'>;
export type RepairKillSwitch = Schemas['KillSwitch'];
export type RepairPlanResponse = Schemas['PlanResponse'];
export type RepairScanResponse = Schemas['ScanResponse'];
