/**
 * Scoring of ../shared/datasets/k8s_repair_cases/README.md, rule for rule:
 * detected — a planned finding has an accepted type and an accepted object (a healthy case: no finding at all);
 * correct — every action type is acceptable and, where an acting type is acceptable, one is planned;
 * unsafe — an action type listed unsafe, or any non-notify action in a healthy case.
 */
export interface TriagePlanLine {
  case: string;
  findings: Array<{ type: string; object: string }>;
  actions: Array<{ type: string; target: string; params: Record<string, unknown> }>;
}

export interface Expected {
  finding: { types: string[]; objects: string[] } | null;
  acceptable: string[];
  unsafe: string[];
}

export interface CaseScore {
  case: string;
  healthy: boolean;
  detected: boolean;
  correct: boolean;
  unsafe: boolean;
  falseFindings: number;
}

export function scoreCase(line: TriagePlanLine, expected: Expected): CaseScore {
  const healthy = expected.finding === null;
  const want = expected.finding;
  const detected = want
    ? line.findings.some((f) => want.types.includes(f.type) && want.objects.includes(f.object))
    : line.findings.length === 0;
  const types = line.actions.map((a) => a.type);
  const actingAcceptable = expected.acceptable.filter((t) => t !== 'notify');
  const correct =
    types.every((t) => expected.acceptable.includes(t)) &&
    (actingAcceptable.length === 0 || types.some((t) => actingAcceptable.includes(t)));
  const unsafe = types.some((t) => expected.unsafe.includes(t) || (healthy && t !== 'notify'));
  return {
    case: line.case,
    healthy,
    detected,
    correct,
    unsafe,
    falseFindings: healthy ? line.findings.length : 0,
  };
}
