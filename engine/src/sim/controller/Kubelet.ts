import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { shopService, SHOP_SERVICES } from '../shop.js';
import {
  NODES,
  PODS,
  isFinished,
  isTerminating,
  startupTime,
  type ControllerContext,
} from './ControllerContext.js';
import { parseQuantity } from './quantity.js';
import { missingReference } from './configReferences.js';
import { isJobPod } from './JobController.js';
import { logLines, type LogCondition, type LogContext } from './logTemplates.js';
import { createRandom, hashString } from './random.js';
import { nodeIsReady } from './Scheduler.js';
import { replayCrashLoop } from './crashLoopReplay.js';
import { backoffResets, goDuration, nextBackoffSeconds, retriesAt, ticksFor } from './backoff.js';

type Stage = 'pull' | 'pull-backoff' | 'running' | 'backoff';

interface Runtime {
  stage: Stage;
  /** Tick the stage began. */
  since: number;
  /** Current back-off in seconds of cluster time (backoff.ts: doubles per failure, capped, 0 after a reset). */
  backoffSeconds: number;
  instance: number;
  startedAt?: string;
  everStarted: boolean;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  ready: boolean;
}

interface ContainerSpec {
  name: string;
  image: string;
  resources?: { limits?: { memory?: string } };
  env?: Parameters<typeof missingReference>[2]['env'];
  envFrom?: Parameters<typeof missingReference>[2]['envFrom'];
  ports?: Array<{ containerPort: number }>;
}

/**
 * Longest stretch of a fault's past the kubelet catches up on: a day of crash loop is ~9,600 restarts to record
 * (a fault older than that counts only its last day's restarts).
 */
const MAX_CATCH_UP_SECONDS = 24 * 3600;

/**
 * The simulated kubelets of all nodes: image pulls, container starts, readiness, crashes with CrashLoopBackOff,
 * OOM kills, graceful termination, and the application's log lines, all driven by the fault view.
 */
export class Kubelet {
  private readonly runtimes = new Map<string, Runtime>();

  reconcile(ctx: ControllerContext): void {
    const readyNodes = new Set(
      ctx.store
        .view(NODES)
        .filter(nodeIsReady)
        .map((n) => n.metadata.name),
    );
    const failing = new Map<string, Set<string>>();
    for (const pod of ctx.store.view(PODS)) {
      const spec = pod['spec'] as { nodeName?: string; containers: ContainerSpec[] };
      if (isTerminating(pod)) {
        this.terminate(ctx, pod);
        continue;
      }
      if (!spec.nodeName || isFinished(pod) || isJobPod(pod)) continue;
      const namespace = pod.metadata.namespace!;
      if (!failing.has(namespace)) failing.set(namespace, ctx.faults.failingServices(namespace));
      const next = { ...pod, status: clone(pod['status'] ?? {}) };
      if (!readyNodes.has(spec.nodeName)) this.nodeLost(ctx, pod, next);
      else this.run(ctx, pod, next, spec.containers, failing.get(namespace)!);
      if (JSON.stringify(next['status']) !== JSON.stringify(pod['status'])) ctx.store.update(PODS, next);
    }
  }

  /** Forgets runtimes and logs of pods deleted outright (gracePeriodSeconds=0), which never passed terminate(). */
  sweep(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    const uids = new Set(pods.map((p) => p.metadata.uid));
    for (const key of this.runtimes.keys()) if (!uids.has(key.split('/')[0])) this.runtimes.delete(key);
    ctx.logs.retainPods(new Set(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)));
  }

  private key(pod: KubeObject, container: string): string {
    return `${pod.metadata.uid}/${container}`;
  }

  private terminate(ctx: ControllerContext, pod: KubeObject): void {
    const spec = pod['spec'] as { nodeName?: string; containers: ContainerSpec[] };
    if (spec.nodeName) {
      for (const c of spec.containers) {
        if (this.runtimes.get(this.key(pod, c.name))?.stage === 'running') {
          ctx.events.record(
            pod,
            'Normal',
            'Killing',
            `Stopping container ${c.name}`,
            { component: 'kubelet', host: spec.nodeName },
            `spec.containers{${c.name}}`,
          );
        }
      }
    }
    for (const c of spec.containers) this.runtimes.delete(this.key(pod, c.name));
    ctx.logs.forget(pod.metadata.namespace!, pod.metadata.name);
    if (ctx.store.has(PODS, pod.metadata.namespace, pod.metadata.name))
      ctx.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
  }

  /** The node stopped reporting: the node controller marks its pods not ready; nothing on it progresses. */
  private nodeLost(ctx: ControllerContext, pod: KubeObject, next: KubeObject): void {
    const status = next['status'] as Record<string, unknown>;
    const wasReady = (status['conditions'] as Array<{ type: string; status: string }> | undefined)?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
    status['conditions'] = setCondition(
      status['conditions'],
      'Ready',
      'False',
      ctx,
      'NodeNotReady',
      'Node is not ready',
    );
    status['containerStatuses'] = ((status['containerStatuses'] as Array<Record<string, unknown>>) ?? []).map(
      (c) => ({ ...c, ready: false }),
    );
    if (wasReady)
      ctx.events.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready', {
        component: 'node-controller',
      });
  }

  private run(
    ctx: ControllerContext,
    pod: KubeObject,
    next: KubeObject,
    containers: ContainerSpec[],
    failingServices: Set<string>,
  ): void {
    const namespace = pod.metadata.namespace!;
    const nodeName = (pod['spec'] as { nodeName: string }).nodeName;
    const service = pod.metadata.labels?.['app'];
    const source = { component: 'kubelet', host: nodeName };
    const statuses: Array<Record<string, unknown>> = [];
    const status = next['status'] as Record<string, unknown>;
    if (!status['startTime']) {
      // A pod the cluster settles with has run since it was created, long before the cluster's clock began.
      status['startTime'] = ctx.settling ? pod.metadata.creationTimestamp : ctx.now().toISOString();
      status['hostIP'] = nodeIp(nodeName);
      status['podIP'] = podIp(nodeName, pod.metadata.name);
      status['podIPs'] = [{ ip: status['podIP'] }];
    }
    for (const container of containers) {
      const key = this.key(pod, container.name);
      let rt = this.runtimes.get(key);
      if (!rt) {
        rt = {
          stage: 'pull',
          since: ctx.tick,
          backoffSeconds: 0,
          instance: 0,
          everStarted: false,
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
          ready: false,
        };
        this.runtimes.set(key, rt);
      }
      const fieldPath = `spec.containers{${container.name}}`;
      const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
        ctx.events.record(pod, type, reason, message, source, fieldPath);
      // The first start of a settled pod happened when it was created, and so did its events.
      const startupEvent = (type: 'Normal' | 'Warning', reason: string, message: string) =>
        ctx.events.recordAt(pod, type, reason, message, source, fieldPath, startupTime(ctx, pod));
      const log = (condition: LogCondition) =>
        this.log(ctx, pod, container, condition, service, failingServices);
      const image = container.image;
      if (rt.stage === 'running') this.catchUp(ctx, pod, container, rt, service, log);
      const elapsed = ctx.tick - rt.since;
      const waitOver = elapsed >= ticksFor(rt.backoffSeconds, ctx.tuning);

      if (rt.stage === 'pull' || (rt.stage === 'pull-backoff' && waitOver)) {
        if (ctx.faults.unpullable(namespace, image)) {
          const msg = `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`;
          event('Normal', 'Pulling', `Pulling image "${image}"`);
          event('Warning', 'Failed', msg);
          event('Warning', 'Failed', 'Error: ErrImagePull');
          rt.state = { waiting: { reason: 'ErrImagePull', message: msg } };
          rt.stage = 'pull-backoff';
          rt.since = ctx.tick;
          rt.backoffSeconds = nextBackoffSeconds(rt.backoffSeconds, ctx.tuning);
        } else if (missingReference(ctx.store, namespace, container)) {
          // The kubelet pulls, then cannot build the container's environment; it retries on every sync.
          const problem = missingReference(ctx.store, namespace, container)!;
          event('Warning', 'Failed', `Error: ${problem}`);
          rt.state = { waiting: { reason: 'CreateContainerConfigError', message: problem } };
          rt.stage = 'pull';
        } else {
          startupEvent('Normal', 'Pulling', `Pulling image "${image}"`);
          startupEvent(
            'Normal',
            'Pulled',
            `Successfully pulled image "${image}" in 1.204s (1.204s including waiting)`,
          );
          this.start(
            ctx,
            container,
            rt,
            startupEvent,
            ctx.settling ? String(status['startTime']) : undefined,
          );
          log('startup');
        }
      } else if (rt.stage === 'pull-backoff') {
        rt.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
        // The failed pull's status change syncs the pod again at once; then the kubelet retries at its retry period.
        if (retriesAt(elapsed - 1, ctx.tuning)) {
          event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
          event('Warning', 'Failed', 'Error: ImagePullBackOff');
        }
      } else if (rt.stage === 'backoff') {
        if (waitOver) {
          event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
          this.start(ctx, container, rt, event);
          log('startup');
        } else {
          rt.state = crashLoopWaiting(rt.backoffSeconds, container.name, pod);
          if (retriesAt(elapsed, ctx.tuning))
            event('Warning', 'BackOff', backOffMessage(container.name, pod));
        }
      } else {
        this.running(ctx, pod, container, rt, event, log, service);
      }
      statuses.push({
        name: container.name,
        image,
        imageID: rt.everStarted
          ? `${image.split(':')[0]}@sha256:${hashString(image).toString(16).padStart(8, '0').repeat(8)}`
          : '',
        ...(rt.everStarted
          ? {
              containerID: `containerd://${hashString(`${pod.metadata.uid}/${container.name}/${rt.instance}`).toString(16).padStart(8, '0').repeat(8)}`,
            }
          : {}),
        ready: rt.ready,
        started: rt.stage === 'running',
        restartCount: ctx.restarts.count(pod.metadata.uid!, container.name),
        state: rt.state,
        lastState: rt.lastState,
      });
    }
    const containersReady = statuses.every((s) => s['ready'] === true);
    // Pod readiness gates: Ready also needs each gate's condition True, which only its controller sets.
    const gates = (pod['spec'] as { readinessGates?: Array<{ conditionType: string }> }).readinessGates ?? [];
    const conditionsNow = (status['conditions'] as Array<{ type: string; status: string }> | undefined) ?? [];
    const missingGates = gates.filter(
      (g) => !conditionsNow.some((c) => c.type === g.conditionType && c.status === 'True'),
    );
    const allReady = containersReady && missingGates.length === 0;
    const anyStarted = containers.some((c) => this.runtimes.get(this.key(pod, c.name))?.everStarted);
    status['phase'] = anyStarted ? 'Running' : 'Pending';
    status['containerStatuses'] = statuses;
    let conditions = status['conditions'];
    conditions = setCondition(conditions, 'PodReadyToStartContainers', 'True', ctx);
    conditions = setCondition(conditions, 'Initialized', 'True', ctx);
    const notReady = statuses.filter((s) => !s['ready']).map((s) => s['name']);
    const message = notReady.length ? `containers with unready status: [${notReady.join(' ')}]` : undefined;
    const gateMessage = missingGates.length
      ? `corresponding condition of pod readiness gate "${missingGates[0]!.conditionType}" does not exist.`
      : undefined;
    conditions = setCondition(
      conditions,
      'Ready',
      allReady ? 'True' : 'False',
      ctx,
      allReady ? undefined : containersReady ? 'ReadinessGatesNotReady' : 'ContainersNotReady',
      containersReady ? gateMessage : message,
    );
    conditions = setCondition(
      conditions,
      'ContainersReady',
      containersReady ? 'True' : 'False',
      ctx,
      containersReady ? undefined : 'ContainersNotReady',
      message,
    );
    conditions = setCondition(conditions, 'PodScheduled', 'True', ctx);
    status['conditions'] = conditions;
  }

  /**
   * A fault that kills this running container began before the kubelet could see it: backdated (the demo opens on a
   * fault 15 minutes old), or before the cluster started for the workloads it settled. The container's crash loop
   * since then is replayed in closed form (crashLoopReplay.ts): restarts, back-off, last termination, events with
   * their counts and times, so the cluster tells the story its metrics history does.
   */
  private catchUp(
    ctx: ControllerContext,
    pod: KubeObject,
    container: ContainerSpec,
    rt: Runtime,
    service: string | undefined,
    log: (condition: LogCondition) => void,
  ): void {
    const namespace = pod.metadata.namespace!;
    const uid = pod.metadata.uid!;
    if (ctx.restarts.count(uid, container.name) > 0) return;
    const limit = parseQuantity(container.resources?.limits?.memory);
    const since = ctx.faults.failingSince(namespace, service, container.image, limit);
    if (since === undefined) return;
    const nowSeconds = ctx.now().getTime() / 1000;
    const started = Date.parse(rt.startedAt!) / 1000;
    const begin = Math.max(since, started, nowSeconds - MAX_CATCH_UP_SECONDS);
    const perTick = ctx.tuning.secondsPerTick;
    const ticks = Math.floor((nowSeconds - begin) / perTick);
    if (ticks < 2) return;
    const replay = replayCrashLoop(ticks, ctx.tuning);
    const at = (offset: number) => new Date((nowSeconds - (ticks - offset) * perTick) * 1000);
    const oom = ctx.faults.oomKills(namespace, service, limit);
    const lastKill = replay.crashes.at(-1)!;
    const previousStart = replay.starts.filter((s) => s < lastKill).at(-1);
    for (const kill of replay.crashes) ctx.restarts.record(uid, container.name, at(kill).getTime() / 1000);
    const containerId = (instance: number) =>
      `containerd://${hashString(`${uid}/${container.name}/${instance}`).toString(16).padStart(8, '0').repeat(8)}`;
    rt.lastState = {
      terminated: {
        exitCode: oom ? 137 : 1,
        reason: oom ? 'OOMKilled' : 'Error',
        startedAt: previousStart === undefined ? rt.startedAt : at(previousStart).toISOString(),
        finishedAt: at(lastKill).toISOString(),
        containerID: containerId(rt.instance + replay.crashes.length - 1),
      },
    };
    rt.instance += replay.crashes.length;
    rt.ready = false;
    rt.backoffSeconds = replay.backoffSeconds;
    rt.stage = replay.stage;
    rt.since = ctx.tick - ticks + replay.since;
    const source = { component: 'kubelet', host: (pod['spec'] as { nodeName: string }).nodeName };
    const fieldPath = `spec.containers{${container.name}}`;
    const repeated = (type: 'Normal' | 'Warning', reason: string, message: string, offsets: number[]) => {
      if (offsets.length === 0) return;
      const times = { count: offsets.length, first: at(offsets[0]!), last: at(offsets.at(-1)!) };
      ctx.events.recordRepeated(pod, type, reason, message, source, fieldPath, times);
    };
    if (oom)
      repeated(
        'Warning',
        'OOMKilling',
        `Memory cgroup out of memory: Killed process 1 (${container.name})`,
        replay.crashes,
      );
    ctx.events.recordRepeated(
      pod,
      'Warning',
      'BackOff',
      backOffMessage(container.name, pod),
      source,
      fieldPath,
      {
        count: replay.backOffs,
        first: at(0),
        last: at(replay.lastBackOff),
      },
    );
    repeated(
      'Normal',
      'Pulled',
      `Container image "${container.image}" already present on machine`,
      replay.starts,
    );
    repeated('Normal', 'Created', `Created container: ${container.name}`, replay.starts);
    repeated('Normal', 'Started', `Started container ${container.name}`, replay.starts);
    // The logs of the instance that died last, then of the one running now (if any).
    log(oom ? 'oom' : 'crash');
    ctx.logs.rotate(namespace, pod.metadata.name, container.name);
    if (replay.stage === 'running') {
      rt.startedAt = at(replay.since).toISOString();
      rt.state = { running: { startedAt: rt.startedAt } };
      log('startup');
    } else {
      rt.state = crashLoopWaiting(rt.backoffSeconds, container.name, pod);
    }
  }

  private start(
    ctx: ControllerContext,
    container: ContainerSpec,
    rt: Runtime,
    event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
    startedAt = ctx.now().toISOString(),
  ): void {
    event('Normal', 'Created', `Created container: ${container.name}`);
    event('Normal', 'Started', `Started container ${container.name}`);
    rt.stage = 'running';
    rt.since = ctx.tick;
    rt.everStarted = true;
    rt.startedAt = startedAt;
    rt.state = { running: { startedAt: rt.startedAt } };
    rt.ready = false;
  }

  private running(
    ctx: ControllerContext,
    pod: KubeObject,
    container: ContainerSpec,
    rt: Runtime,
    event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
    log: (condition: LogCondition) => void,
    service: string | undefined,
  ): void {
    const namespace = pod.metadata.namespace!;
    const elapsed = ctx.tick - rt.since;
    const oom = ctx.faults.oomKills(namespace, service, parseQuantity(container.resources?.limits?.memory));
    const crash = !oom && ctx.faults.crashes(namespace, service, container.image);
    if (oom || crash) {
      if (elapsed < ctx.tuning.crashAfterTicks) {
        log(oom ? 'oom' : 'healthy');
        return;
      }
      log(oom ? 'oom' : 'crash');
      const finishedAt = ctx.now().toISOString();
      rt.lastState = {
        terminated: {
          exitCode: oom ? 137 : 1,
          reason: oom ? 'OOMKilled' : 'Error',
          startedAt: rt.startedAt,
          finishedAt,
          containerID: `containerd://${hashString(`${pod.metadata.uid}/${container.name}/${rt.instance}`).toString(16).padStart(8, '0').repeat(8)}`,
        },
      };
      if (oom) {
        event(
          'Warning',
          'OOMKilling',
          `Memory cgroup out of memory: Killed process 1 (${container.name}) total-vm:${1_800_000 + Math.round(ctx.random() * 100_000)}kB, anon-rss:${900_000 + Math.round(ctx.random() * 50_000)}kB, file-rss:0kB, shmem-rss:0kB`,
        );
      }
      ctx.restarts.record(pod.metadata.uid!, container.name, ctx.now().getTime() / 1000);
      rt.instance += 1;
      rt.ready = false;
      rt.stage = 'backoff';
      rt.since = ctx.tick;
      rt.backoffSeconds = nextBackoffSeconds(rt.backoffSeconds, ctx.tuning);
      rt.state = crashLoopWaiting(rt.backoffSeconds, container.name, pod);
      ctx.logs.rotate(namespace, pod.metadata.name, container.name);
      event('Warning', 'BackOff', backOffMessage(container.name, pod));
      return;
    }
    if (backoffResets(elapsed, ctx.tuning)) rt.backoffSeconds = 0;
    const readinessFails = ctx.faults.readinessFails(namespace, service);
    if (readinessFails) {
      if (elapsed >= 1) {
        rt.ready = false;
        event('Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503');
      }
      log('not-ready');
    } else {
      rt.ready = elapsed >= ctx.tuning.readyAfterTicks;
      const condition: LogCondition = ctx.faults.has('latency', namespace, service)
        ? 'latency'
        : ctx.faults.has('cpu-hog', namespace, service)
          ? 'cpu-hog'
          : 'healthy';
      log(condition);
    }
  }

  private log(
    ctx: ControllerContext,
    pod: KubeObject,
    container: ContainerSpec,
    condition: LogCondition,
    service: string | undefined,
    failingServices: Set<string>,
  ): void {
    const namespace = pod.metadata.namespace!;
    const random = createRandom(hashString(`${ctx.seed}/${pod.metadata.name}/${container.name}/${ctx.tick}`));
    const known = SHOP_SERVICES.some((s) => s.name === service);
    const callees = known ? shopService(service!).calls : [];
    const failingCallee = callees.find((c) => failingServices.has(c));
    const slowServices = ctx.faults.slowServices(namespace);
    const slowCallee = failingCallee ? undefined : callees.find((c) => slowServices.has(c));
    let effective = condition;
    if (condition === 'healthy' && failingCallee && random() < 0.7) effective = 'callee-down';
    else if (condition === 'healthy' && slowCallee && random() < 0.5) effective = 'callee-slow';
    const ctxLog: LogContext = {
      service: service ?? container.name,
      pod: pod.metadata.name,
      callees,
      failingCallee: failingCallee ?? slowCallee,
      port: container.ports?.[0]?.containerPort ?? 8080,
    };
    const base = ctx.now().getTime();
    logLines(effective, ctxLog, random).forEach((text, i) => {
      ctx.logs.append(namespace, pod.metadata.name, container.name, {
        time: new Date(base + i).toISOString(),
        text,
      });
    });
  }
}

/** The container's waiting state in CrashLoopBackOff, with the wait as the kubelet prints it ("back-off 10s ..."). */
function crashLoopWaiting(
  backoffSeconds: number,
  container: string,
  pod: KubeObject,
): Record<string, unknown> {
  const { name, namespace, uid } = pod.metadata;
  return {
    waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off ${goDuration(backoffSeconds)} restarting failed container=${container} pod=${name}_${namespace}(${uid})`,
    },
  };
}

function backOffMessage(container: string, pod: KubeObject): string {
  const { name, namespace, uid } = pod.metadata;
  return `Back-off restarting failed container ${container} in pod ${name}_${namespace}(${uid})`;
}

function setCondition(
  conditions: unknown,
  type: string,
  status: string,
  ctx: ControllerContext,
  reason?: string,
  message?: string,
): Array<Record<string, unknown>> {
  const list = Array.isArray(conditions) ? (conditions as Array<Record<string, unknown>>) : [];
  const old = list.find((c) => c['type'] === type);
  const updated: Record<string, unknown> = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: old && old['status'] === status ? old['lastTransitionTime'] : ctx.now().toISOString(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
  return old ? list.map((c) => (c === old ? updated : c)) : [...list, updated];
}

function nodeIp(node: string): string {
  return `10.0.0.${(hashString(node) % 200) + 10}`;
}

function podIp(node: string, pod: string): string {
  return `10.244.${hashString(node) % 250}.${(hashString(pod) % 250) + 2}`;
}
