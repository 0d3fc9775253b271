/**
 * Demand hovering around a replica boundary (50 per replica) with seeded noise: 3,000 one-minute bins of a daily cycle
 * plus noise, replayed over its second half, and the same demand as a lookup with no forecast (a nowcast). The case
 * where a predictive scale-down rule that looks back too little flaps a pod in and out; shared by the replay
 * simulator's test and the bench's forecast-hold test.
 */
export function hoveringDemand() {
  let seed = 3;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const demand = Array.from(
    { length: 3000 },
    (_, i) => 200 + 60 * Math.sin((2 * Math.PI * i) / 1440) + 80 * rand(),
  );
  const replay = { start: 0, stepSeconds: 60, demand, from: 1500, to: 3000, capacityPerReplica: 50 };
  const nowcast = { start: 0, stepSeconds: 60, demand, forecast: () => undefined };
  return { demand, replay, nowcast };
}
