import type { ModelProvider } from '../../model/ModelProvider.js';
import { canonicalJson, sha256 } from '../audit/hashChain.js';
import type { Finding, RuleCandidate } from '../types.js';
import { choicePrompt, proposalPrompt, type RepairPrompt } from './buildRepairPrompt.js';
import {
  choiceReplySchema,
  parseModelReply,
  proposalReplySchema,
  type ChoiceReply,
  type ProposalReply,
} from './parseModelReply.js';

/** What was asked and answered, as hashes for the audit trail. */
export interface ModelExchange {
  chatModel: string;
  inputHash: string;
  outputHash: string;
}

/**
 * `ok`: the reply passed the schema; `invalid`: the model answered something the schema refuses (the reason names
 * the field); `unavailable`: no answer (server down, timeout, HTTP error), so the rules decide alone.
 */
export type Advice<T> =
  | { status: 'ok'; exchange: ModelExchange; value: T }
  | { status: 'invalid'; exchange: ModelExchange; reason: string }
  | { status: 'unavailable'; inputHash: string; reason: string };

/** The seam the planner uses; ModelRepairAdvisor is the one implementation (tests talk HTTP to a model server). */
export interface RepairAdvisor {
  readonly chatModel: string;
  /** One catalog action for a finding no rule applies to. */
  propose(finding: Finding): Promise<Advice<ProposalReply>>;
  /** One of the rules' candidates (index into `candidates`, from 0). */
  choose(finding: Finding, candidates: RuleCandidate[]): Promise<Advice<ChoiceReply & { index: number }>>;
}

export interface ModelRepairAdvisorOptions {
  /** The whole exchange is abandoned after this long; a scan never waits on a slow model for more. */
  timeoutSeconds: number;
  /** A reply to the same prompt is reused for this long (0: never), so a condition that persists is not re-asked
   * every scan (60 s by default). */
  cacheSeconds: number;
  now?: () => number;
}

/** Cached replies kept at most; a plan with more distinct findings than this re-asks the oldest. */
const MAX_CACHED = 500;

/**
 * Asks an OpenAI-compatible model (the engine's ModelProvider) for repair advice. It only returns text checked
 * against the catalog's schema; it has no access to the cluster, and what it returns is planned through the same
 * rules, safety guards, budgets and modes as any rule's action (rules/planWithModel.ts).
 */
export class ModelRepairAdvisor implements RepairAdvisor {
  private readonly cache = new Map<string, { at: number; output: string }>();
  private readonly now: () => number;

  constructor(
    private readonly model: Pick<ModelProvider, 'complete' | 'chatModel'>,
    private readonly options: ModelRepairAdvisorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get chatModel(): string {
    return this.model.chatModel;
  }

  async propose(finding: Finding): Promise<Advice<ProposalReply>> {
    const asked = await this.ask(proposalPrompt(finding));
    if (asked.status !== 'answered') return asked;
    const parsed = parseModelReply(asked.output, proposalReplySchema);
    return parsed.ok
      ? { status: 'ok', exchange: asked.exchange, value: parsed.value }
      : { status: 'invalid', exchange: asked.exchange, reason: parsed.reason };
  }

  async choose(
    finding: Finding,
    candidates: RuleCandidate[],
  ): Promise<Advice<ChoiceReply & { index: number }>> {
    const asked = await this.ask(choicePrompt(finding, candidates));
    if (asked.status !== 'answered') return asked;
    const parsed = parseModelReply(asked.output, choiceReplySchema);
    if (!parsed.ok) return { status: 'invalid', exchange: asked.exchange, reason: parsed.reason };
    if (parsed.value.choice > candidates.length) {
      return {
        status: 'invalid',
        exchange: asked.exchange,
        reason: `choice: ${parsed.value.choice} is not a candidate (1-${candidates.length})`,
      };
    }
    return {
      status: 'ok',
      exchange: asked.exchange,
      value: { ...parsed.value, index: parsed.value.choice - 1 },
    };
  }

  private async ask(
    prompt: RepairPrompt,
  ): Promise<
    | { status: 'answered'; output: string; exchange: ModelExchange }
    | { status: 'unavailable'; inputHash: string; reason: string }
  > {
    const chatModel = this.model.chatModel;
    const inputHash = sha256(
      canonicalJson({ model: chatModel, system: prompt.system, prompt: prompt.prompt }),
    );
    let output = this.cached(inputHash);
    if (output === undefined) {
      try {
        output = await this.model.complete(prompt.prompt, {
          system: prompt.system,
          // Deterministic as the server allows: the same finding should get the same advice.
          temperature: 0,
          maxTokens: 400,
          signal: AbortSignal.timeout(this.options.timeoutSeconds * 1000),
        });
      } catch (error) {
        return {
          status: 'unavailable',
          inputHash,
          reason: error instanceof Error ? error.message : String(error),
        };
      }
      this.remember(inputHash, output);
    }
    return { status: 'answered', output, exchange: { chatModel, inputHash, outputHash: sha256(output) } };
  }

  private cached(inputHash: string): string | undefined {
    const hit = this.cache.get(inputHash);
    if (!hit || this.now() - hit.at >= this.options.cacheSeconds * 1000) return undefined;
    return hit.output;
  }

  private remember(inputHash: string, output: string): void {
    if (this.options.cacheSeconds <= 0) return;
    this.cache.delete(inputHash);
    this.cache.set(inputHash, { at: this.now(), output });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}
