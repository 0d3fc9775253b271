import { describeDeviation, formatNumber } from '@ai-cloudops/engine-client';
import type { RcaCandidate } from './schemas.js';
import type { RcaTarget, Summarizer } from './types.js';

// One wording of numbers and deviations for the engine's narratives and the plugins' evidence lines.
const fmt = formatNumber;
/** A time people read in a sentence: to the second, in UTC, named so (`2026-12-07 18:54:04 UTC`), not ISO's `T`/`.064Z`. */
const when = (t: number) =>
  `${new Date(Math.round(t) * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

function describeCandidate(c: RcaCandidate): string {
  const parts: string[] = [];
  const m = c.evidence.metrics[0];
  if (m) {
    parts.push(
      `${m.signal} went from ${fmt(m.baselineMedian)} to ${fmt(m.incidentValue)}${m.unit ? ` ${m.unit}` : ''} (${describeDeviation(m)}${m.changePoint ? `, change at ${when(m.changePoint)}` : ''})`,
    );
  }
  const log = c.evidence.logs[0];
  if (log)
    parts.push(
      `log template "${log.template}" ${log.isNew ? 'appeared' : 'burst'} (${log.countBaseline} → ${log.countIncident})`,
    );
  const event = c.evidence.events[0];
  if (event) parts.push(`event ${event.reason} on ${event.object} (×${event.count})`);
  const change = c.evidence.changes[0];
  if (change) parts.push(`recent change: ${change.description}`);
  return parts.join('; ');
}

/** A reason (`the target ... shows no anomaly`) as a sentence. */
const sentence = (text: string) =>
  `${text[0]!.toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;

/** The narrative without a model: deterministic, built from the ranked evidence. */
export function templateNarrative(
  candidates: RcaCandidate[],
  target: RcaTarget | undefined,
  reason?: string,
): string {
  const subject = target
    ? `The incident on ${target.service}${target.signal ? ` (${target.signal})` : ''}`
    : 'The incident';
  if (candidates.length === 0)
    return `${subject}: no root cause found. ${reason ? sentence(reason) : 'No signal moved beyond its normal range.'}`;
  const [first, ...rest] = candidates;
  // With candidates, a reason says what limits them (a target that shows no anomaly): said first, so no one reads
  // a confident diagnosis into them.
  const lines = [
    ...(reason ? [sentence(reason)] : []),
    `${subject} most likely starts at ${first!.service} (${first!.faultType}, score ${fmt(first!.score)}): ${describeCandidate(first!)}.`,
  ];
  const others = rest.slice(0, 2);
  if (others.length) {
    lines.push(
      `Other suspects: ${others.map((c) => `${c.service} (${c.faultType}: ${describeCandidate(c)})`).join('; ')}.`,
    );
  }
  return lines.join(' ');
}

/** The prompt given to the model: the evidence only, with an instruction not to invent anything beyond it. */
export function narrativePrompt(
  candidates: RcaCandidate[],
  target: RcaTarget | undefined,
  caveat?: string,
): string {
  const evidence = candidates.slice(0, 5).map((c, i) => ({
    rank: i + 1,
    service: c.service,
    faultType: c.faultType,
    score: c.score,
    metrics: c.evidence.metrics.slice(0, 3),
    logs: c.evidence.logs.slice(0, 3),
    events: c.evidence.events.slice(0, 3),
    changes: c.evidence.changes.slice(0, 3),
  }));
  return [
    'You are helping an on-call engineer. Summarise this root-cause analysis in at most 5 sentences:',
    'name the most likely root cause and why, then what to check first. Use only the evidence below;',
    'if it is weak, say so.',
    `Target: ${target ? JSON.stringify(target) : 'none given'}`,
    ...(caveat ? [`Caveat (say it): ${caveat}`] : []),
    `Ranked candidates with evidence: ${JSON.stringify(evidence)}`,
  ].join('\n');
}

/** Model narrative when a summarizer is configured and answers; the template otherwise. */
export async function writeNarrative(
  candidates: RcaCandidate[],
  target: RcaTarget | undefined,
  reason: string | undefined,
  summarizer: Summarizer | undefined,
  warnings: string[],
): Promise<{ narrative: string; source: 'template' | 'model' }> {
  const fallback = templateNarrative(candidates, target, reason);
  if (!summarizer || candidates.length === 0) return { narrative: fallback, source: 'template' };
  try {
    const text = (await summarizer.summarize(narrativePrompt(candidates, target, reason))).trim();
    if (text) return { narrative: text, source: 'model' };
    warnings.push('model returned an empty narrative; used the template');
  } catch (error) {
    warnings.push(
      `model narrative failed (${error instanceof Error ? error.message : String(error)}); used the template`,
    );
  }
  return { narrative: fallback, source: 'template' };
}
