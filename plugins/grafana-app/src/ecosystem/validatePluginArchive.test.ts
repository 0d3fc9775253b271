import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { buildPluginArchive } from './buildPluginArchive';
import { validatePluginArchive, type Finding } from './validatePluginArchive';

/**
 * Grafana's plugin validator rules that run offline, over the plugin as `npm run build` makes it (built here into a
 * temporary folder), then over copies broken one way each, so every rule is seen to fire.
 */

const rules = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.file}`);

describe('Grafana plugin validator rules (offline) over the built plugin', () => {
  let built: string;
  const scratch: string[] = [];

  beforeAll(async () => {
    built = mkdtempSync(path.join(os.tmpdir(), 'cloudops-archive-'));
    await buildPluginArchive(built);
  }, 300_000);
  afterAll(() => {
    for (const dir of [built, ...scratch]) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A copy of the built plugin with one thing changed. */
  function broken(change: (dir: string) => void): Finding[] {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cloudops-archive-broken-'));
    scratch.push(dir);
    cpSync(built, dir, { recursive: true });
    change(dir);
    return validatePluginArchive(dir);
  }
  const editJson = (dir: string, file: string, edit: (json: any) => void) => {
    const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    edit(json);
    writeFileSync(path.join(dir, file), JSON.stringify(json));
  };

  test('the build passes every rule, errors and warnings alike, nested datasource and panel included', () => {
    expect(rules(validatePluginArchive(built))).toEqual([]);
    const root = JSON.parse(readFileSync(path.join(built, 'plugin.json'), 'utf8'));
    const nested = root.includes.filter((i: { type: string }) => i.type === 'datasource' || i.type === 'panel');
    expect(nested.map((i: { path: string }) => i.path)).toEqual([
      'datasource/plugin.json',
      'panels/incident-card/plugin.json',
    ]);
  });

  test('a nested plugin missing from includes, or declared with another type, is an error', () => {
    expect(
      rules(
        broken((d) =>
          editJson(d, 'plugin.json', (j) => (j.includes = j.includes.filter((i: any) => i.type !== 'panel')))
        )
      )
    ).toEqual(['error nested-plugins-not-declared panels/incident-card/plugin.json']);
    expect(
      rules(
        broken((d) =>
          editJson(d, 'plugin.json', (j) => (j.includes.find((i: any) => i.type === 'panel').type = 'datasource'))
        )
      )
    ).toEqual(['error nested-plugin-type-missmatch panels/incident-card/plugin.json']);
  });

  test('screenshots: none is a warning; a file whose content is not its extension is an error', () => {
    expect(rules(broken((d) => editJson(d, 'plugin.json', (j) => (j.info.screenshots = []))))).toEqual([
      'warning screenshots plugin.json',
    ]);
    const mislabelled = broken((d) => {
      const shot = JSON.parse(readFileSync(path.join(d, 'plugin.json'), 'utf8')).info.screenshots[0].path;
      writeFileSync(path.join(d, shot), readFileSync(path.join(d, 'img/logo.svg')));
    });
    expect(rules(mislabelled)).toEqual(['error screenshots-image-type plugin.json']);
  });

  test("a LICENSE with the template's placeholder is a warning; none is an error", () => {
    const placeholder = broken((d) =>
      writeFileSync(
        path.join(d, 'LICENSE'),
        readFileSync(path.join(d, 'LICENSE'), 'utf8').replace(
          /Copyright .*/,
          'Copyright {yyyy} {name of copyright owner}'
        )
      )
    );
    expect(rules(placeholder)).toEqual(['warning license-with-generic-text LICENSE']);
    expect(rules(broken((d) => unlinkSync(path.join(d, 'LICENSE'))))).toEqual(['error license-not-provided LICENSE']);
  });

  test('metadata: logos, version, grafanaDependency, type suffix, keywords, links and module.js per plugin', () => {
    const panel = 'panels/incident-card/plugin.json';
    const found = broken((d) => {
      editJson(d, panel, (j) => {
        j.info.logos.small = './img/logo.svg';
        j.info.logos.large = 'img/missing.svg';
        j.info.version = '%VERSION%';
        j.info.keywords = [];
        j.info.links = [{ name: 'Docs', url: 'not a url' }];
        j.dependencies.grafanaDependency = 'twelve';
        j.id = 'aicloudops-incidentcard-widget';
      });
      unlinkSync(path.join(d, 'panels/incident-card/module.js'));
    });
    expect(rules(found).sort()).toEqual(
      [
        `error invalid-relative-path ${panel}`,
        `error path-not-exists ${panel}`,
        `error wrong-plugin-version ${panel}`,
        `warning empty-keywords ${panel}`,
        `error broken-link ${panel}`,
        `error invalid-grafana-dependency ${panel}`,
        `error plugin-type-suffix ${panel}`,
        'error missing-modulejs panels/incident-card/module.js',
      ].sort()
    );
  });

  test('an SVG with a script, and a README left as the template, are errors', () => {
    const found = broken((d) => {
      writeFileSync(path.join(d, 'panels/incident-card/img/logo.svg'), '<svg><script>alert(1)</script></svg>');
      writeFileSync(path.join(d, 'README.md'), '# Grafana App Plugin Template\n');
    });
    expect(rules(found).sort()).toEqual(
      ['error template-readme README.md', 'error unsafe-svg-file panels/incident-card/img/logo.svg'].sort()
    );
  });
});
