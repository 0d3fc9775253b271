import { randomUUID } from 'node:crypto';
import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import type { Conversation, ConversationTurn } from '../schemas.js';

/**
 * The identity of every caller when auth is off (the demo): they all share it, so they share conversations. With
 * tokens, the identity is the token's name.
 */
export const ANONYMOUS_OWNER = 'anonymous';

export interface ConversationLimits {
  ttlDays: number;
  maxTurns: number;
  maxBytes: number;
  /** Conversations kept per identity; starting one more drops the identity's oldest. */
  maxPerOwner: number;
}

/** A stored conversation: the public fields plus the identity that owns it (never sent to clients). */
export type OwnedConversation = Conversation & { owner: string };

const conversationKey = (id: string) => `assistant:conversation:${id}`;
const ownerListKey = (owner: string) => `assistant:conversations-of:${owner}`;

/**
 * Conversations belong to the identity that started them (issue 9: any viewer could read or append to any id a
 * client chose). Another identity's conversation is NOT_FOUND, exactly like a missing one, so ids cannot be probed.
 * Each is bounded in turns and stored bytes; a full one refuses the next question (CONFLICT) instead of growing.
 */
export class ConversationStore {
  constructor(
    private readonly store: Store,
    private readonly limits: ConversationLimits,
  ) {}

  async get(id: string, owner: string): Promise<OwnedConversation> {
    const raw = await this.store.get(conversationKey(id));
    const conversation = raw ? (JSON.parse(raw) as Partial<OwnedConversation>) : undefined;
    // Conversations stored before ownership existed have no owner: nobody may read them.
    if (!conversation || conversation.owner !== owner)
      throw new EngineError('NOT_FOUND', `conversation ${id} not found`);
    return conversation as OwnedConversation;
  }

  /**
   * The conversation a new turn goes into: the caller's own when `id` names one, a new one with a fresh id when no id
   * is given. NOT_FOUND when the id is unknown or another identity's; CONFLICT when the conversation is full.
   */
  async forNewTurn(id: string | undefined, owner: string): Promise<OwnedConversation> {
    const fresh = (cid: string): OwnedConversation => ({
      id: cid,
      owner,
      createdAt: new Date().toISOString(),
      turns: [],
    });
    if (!id) return fresh(randomUUID());
    // An id the caller made up is NOT_FOUND like another identity's: answering 200 for one and 404 for the other
    // told a caller which ids exist. New conversations get the engine's id.
    const conversation = await this.get(id, owner);
    this.assertRoom(conversation);
    return conversation;
  }

  /** Appends a turn and stores the conversation; returns the turn's index. */
  async append(conversation: OwnedConversation, turn: ConversationTurn): Promise<number> {
    this.assertRoom(conversation);
    const started = conversation.turns.length === 0;
    conversation.turns.push(turn);
    await this.store.set(conversationKey(conversation.id), JSON.stringify(conversation), {
      ttlSeconds: Math.round(this.limits.ttlDays * 86400),
    });
    if (started) await this.keepNewest(conversation.owner, conversation.id);
    return conversation.turns.length - 1;
  }

  /**
   * Each question without a conversation id starts a stored conversation (kept ttlDays): bounded per conversation
   * but not in number, a viewer asking in a loop (~50 extractive answers a second here, each a few KB) grew the store
   * by gigabytes a day. Each identity keeps its newest maxPerOwner; the oldest are deleted.
   */
  private async keepNewest(owner: string, id: string): Promise<void> {
    const key = ownerListKey(owner);
    const length = await this.store.rpush(key, id);
    const excess = length - this.limits.maxPerOwner;
    if (excess <= 0) return;
    const dropped = await this.store.lrange(key, 0, excess - 1);
    await this.store.ltrim(key, excess, -1);
    if (dropped.length > 0) await this.store.del(...dropped.map(conversationKey));
  }

  private assertRoom(conversation: OwnedConversation): void {
    const bytes = Buffer.byteLength(JSON.stringify(conversation), 'utf8');
    if (conversation.turns.length >= this.limits.maxTurns || bytes >= this.limits.maxBytes) {
      throw new EngineError(
        'CONFLICT',
        `conversation ${conversation.id} is full (${conversation.turns.length} turns, ${bytes} bytes; limits ` +
          `assistant.answer.maxConversationTurns ${this.limits.maxTurns}, maxConversationBytes ${this.limits.maxBytes}); start a new conversation`,
        {
          issues: [
            { field: 'body.conversationId', message: 'conversation is full; omit it to start a new one' },
          ],
        },
      );
    }
  }
}
