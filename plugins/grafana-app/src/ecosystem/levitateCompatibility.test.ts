import { spawn } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import pluginJson from '../plugin.json';

/**
 * @grafana/levitate: every @grafana/data, ui and runtime export the plugin's three modules use exists unchanged in the
 * lowest Grafana version plugin.json declares and in the newest release when this was written (the range is open
 * upwards; pinned so the test does not change under us; raise it when Grafana releases). Runs
 * scripts/levitateCompatibility.mjs through `npm exec`: levitate and the target packages come from npm's cache or the
 * registry, as `npm ci` does. Measured 3 min 13 s on the shared 2-core machine, hence the long timeouts.
 */

const PLUGIN_DIR = path.resolve(__dirname, '..', '..');
const NEWEST = '13.2.3';
const LOWEST = /^>=(\d+\.\d+\.\d+)$/.exec(pluginJson.dependencies.grafanaDependency)![1]!;

interface Report {
  targets: string[];
  entries: string[];
  usedExports: Record<string, string[]>;
  incompatibilities: Array<{ package: string; target: string; entry: string; name: string; file: string }>;
}

/**
 * Changes levitate reports that were read and do not touch what the plugin uses. `config`: GrafanaBootConfig gains
 * and loses unrelated settings from release to release (12.3.0 to 12.4.10: liveNamespaced added, webVitalsAttribution
 * removed); the plugin reads only `config.bootData` (checked below), which 12.3.0 and 13.2.3 both have.
 */
const REVIEWED = [{ package: '@grafana/runtime', name: 'config', reads: ['bootData'] }];

function runLevitate(targets: string[]): Promise<{ code: number | null; report: Report }> {
  const script = ['node', 'scripts/levitateCompatibility.mjs', ...targets];
  const args = ['exec', '--yes', '--package=@grafana/levitate@0.17.2', '--', ...script];
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: PLUGIN_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 580_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code, report: JSON.parse(stdout) as Report });
      } catch {
        reject(new Error(`levitate printed no report (exit ${code}): ${stderr.slice(-3000)}`));
      }
    });
  });
}

/** The `config.X` the plugin's non-test sources read from @grafana/runtime's config. */
function configReads(dir = path.join(PLUGIN_DIR, 'src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      return name === 'test' ? [] : configReads(full);
    }
    const text = /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? readFileSync(full, 'utf8') : '';
    if (!/import \{[^}]*\bconfig\b[^}]*\} from '@grafana\/runtime'/.test(text)) {
      return [];
    }
    return [...text.matchAll(/\bconfig\.(\w+)/g)].map((m) => m[1]!);
  });
}

describe('@grafana/levitate compatibility with the declared Grafana versions', () => {
  let result: Awaited<ReturnType<typeof runLevitate>>;
  beforeAll(async () => {
    result = await runLevitate([LOWEST, NEWEST]);
  }, 600_000);

  test('compares all three plugin modules with the lowest declared and the newest version, over the exports they use', () => {
    expect(result.report.targets).toEqual([LOWEST, NEWEST]);
    expect([...result.report.entries].sort()).toEqual([
      'src/datasource/module.ts',
      'src/module.tsx',
      'src/panels/incident-card/module.tsx',
    ]);
    // Not vacuous: levitate saw the plugin's imports of each package (`is-compatible` skips what it cannot find).
    expect(result.report.usedExports['@grafana/data']).toEqual(expect.arrayContaining(['PanelPlugin', 'AppPlugin']));
    expect(result.report.usedExports['@grafana/ui']).toEqual(expect.arrayContaining(['useStyles2', 'Badge']));
    expect(result.report.usedExports['@grafana/runtime']).toEqual(expect.arrayContaining(['getBackendSrv']));
  });

  test('no export the plugin uses is missing or changed, apart from the reviewed ones', () => {
    const unreviewed = result.report.incompatibilities.filter(
      (i) => !REVIEWED.some((r) => r.package === i.package && r.name === i.name)
    );
    expect(unreviewed).toEqual([]);
    expect(result.code).toBe(result.report.incompatibilities.length > 0 ? 1 : 0);
  });

  test('the reviewed changes stay outside what the plugin reads', () => {
    expect([...new Set(configReads())].sort()).toEqual(REVIEWED[0]!.reads);
  });
});
