/**
 * Event streams open through the pass-through, per signed-in user. The engine counts every portal user as one caller
 * (the backend's token), so without a cap here one browser opening streams in a loop would use up the engine's
 * `server.maxSseStreamsPerCaller` for everyone. In-process: each backend replica keeps its own count, so a user's
 * bound is the cap times the replicas, which still keeps one user from holding all of them.
 */
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerUser: number) {}

  /** Counts a stream against `user`; false (nothing counted) when the user already holds `maxPerUser`. */
  tryAcquire(user: string): boolean {
    const held = this.open.get(user) ?? 0;
    if (held >= this.maxPerUser) return false;
    this.open.set(user, held + 1);
    return true;
  }

  release(user: string): void {
    const held = (this.open.get(user) ?? 0) - 1;
    if (held > 0) this.open.set(user, held);
    else this.open.delete(user);
  }

  heldBy(user: string): number {
    return this.open.get(user) ?? 0;
  }
}

/** Whether a call asks for an event stream (EventSource and the assistant's streamed answer send this Accept). */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes('text/event-stream');
}
