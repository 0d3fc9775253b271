import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import semver from 'semver';

/**
 * The rules of Grafana's plugin validator (github.com/grafana/plugin-validator, pkg/analysis/passes) that need no
 * network, re-implemented over a built plugin folder: the validator itself is a Go binary that its npm wrapper
 * downloads from GitHub at install time, which fails offline, and its online rules (published version, org, links,
 * virus scan) cannot run in CI. Rule names and severities are the validator's, so a finding reads like its report.
 * Where the validator only looks at the root plugin.json, these rules look at every nested one too (Grafana loads
 * each nested plugin from its own folder).
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Where, relative to the archive (`plugin.json`, `panels/x/plugin.json`, `LICENSE`). */
  file: string;
  message: string;
}

interface PluginMeta {
  id?: string;
  type?: string;
  name?: string;
  includes?: Array<{ type?: string; path?: string; name?: string }>;
  info?: {
    description?: string;
    keywords?: string[];
    logos?: { small?: string; large?: string };
    screenshots?: Array<{ name?: string; path?: string }>;
    links?: Array<{ name?: string; url?: string }>;
    version?: string;
  };
  dependencies?: { grafanaDependency?: string };
}

type Metadata = Map<string, PluginMeta>;
type Rule = (dir: string, metadata: Metadata) => Finding[];

const MAIN = 'plugin.json';
const finding = (rule: string, severity: Severity, file: string, message: string): Finding => ({
  rule,
  severity,
  file,
  message,
});

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** nestedmetadata: every plugin.json in the archive, keyed by its path (the root one as `plugin.json`). */
function readMetadata(dir: string): { metadata: Metadata; findings: Finding[] } {
  const metadata: Metadata = new Map();
  const findings: Finding[] = [];
  for (const file of walk(dir).filter((f) => path.posix.basename(f) === MAIN)) {
    try {
      metadata.set(file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as PluginMeta);
    } catch (error) {
      findings.push(finding('invalid-metadata', 'error', file, `plugin.json cannot be parsed: ${String(error)}`));
    }
  }
  if (!existsSync(path.join(dir, MAIN))) {
    findings.push(finding('missing-metadata', 'error', MAIN, 'no plugin.json at the archive root'));
  }
  return { metadata, findings };
}

/** includesnested: each nested plugin.json is declared in the root's includes, by path and with its type. */
const includesNested: Rule = (_dir, metadata) => {
  const root = metadata.get(MAIN);
  const nested = [...metadata.keys()].filter((k) => k !== MAIN);
  if (!root || nested.length === 0) {
    return [];
  }
  if (root.type !== 'app') {
    return [finding('nested-plugin-id-in-non-app', 'error', MAIN, `nested plugins in a ${root.type} plugin`)];
  }
  return nested.flatMap((key) => {
    const include = (root.includes ?? []).find((i) => i.path === key);
    if (!include) {
      return [
        finding('nested-plugins-not-declared', 'error', key, `Nested plugin ${key} is not declared in plugin.json`),
      ];
    }
    if (!include.type) {
      return [finding('nested-plugin-missing-type', 'error', key, `Nested plugin ${key} is declared without a type`)];
    }
    const actual = metadata.get(key)!.type;
    return include.type === actual
      ? []
      : [finding('nested-plugin-type-missmatch', 'error', key, `declared as ${include.type}, is ${actual}`)];
  });
};

/** logos + metadatapaths: logos and screenshots are named, relative, and exist beside their plugin.json. */
const metadataPaths: Rule = (dir, metadata) =>
  [...metadata].flatMap(([key, meta]) => {
    const base = path.posix.dirname(key);
    const refs = [
      { kind: 'small logo', p: meta.info?.logos?.small ?? '' },
      { kind: 'large logo', p: meta.info?.logos?.large ?? '' },
      ...(meta.info?.screenshots ?? []).map((s) => ({ kind: 'screenshot', p: s.path ?? '' })),
    ];
    return refs.flatMap(({ kind, p }): Finding[] => {
      if (p.trim() === '') {
        return [finding(kind.includes('logo') ? 'logos' : 'screenshots', 'error', key, `empty ${kind} path`)];
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(p)) {
        return [finding('path-relative-to-metadata', 'error', key, `${kind} path is absolute: ${p}`)];
      }
      if (p.startsWith('.') || p.startsWith('/')) {
        return [finding('invalid-relative-path', 'error', key, `${kind} path starts with '.' or '/': ${p}`)];
      }
      const target = path.posix.join(base, p);
      return existsSync(path.join(dir, target))
        ? []
        : [finding('path-not-exists', 'error', key, `${kind} path doesn't exist: ${target}`)];
    });
  });

const IMAGE_TYPES: Array<{ mime: string; ext: string[]; test: (b: Buffer) => boolean }> = [
  { mime: 'image/png', ext: ['.png'], test: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { mime: 'image/jpeg', ext: ['.jpg', '.jpeg'], test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', ext: ['.gif'], test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { mime: 'image/svg+xml', ext: ['.svg'], test: (b) => b.subarray(0, 512).toString('utf8').includes('<svg') },
];

/** screenshots: the root plugin lists at least one, each a PNG/JPEG/GIF/SVG whose content matches its extension. */
const screenshots: Rule = (dir, metadata) => {
  const shots = metadata.get(MAIN)?.info?.screenshots ?? [];
  if (shots.length === 0) {
    return [finding('screenshots', 'warning', MAIN, 'plugin.json should include screenshots for the plugin catalog')];
  }
  return shots.flatMap((shot): Finding[] => {
    const file = path.join(dir, shot.path ?? '');
    if (!shot.path || !existsSync(file)) {
      return []; // metadataPaths reports it
    }
    const type = IMAGE_TYPES.find((t) => t.test(readFileSync(file)));
    if (!type) {
      return [finding('screenshots-image-type', 'error', MAIN, `${shot.path} is not a PNG, JPEG, GIF or SVG image`)];
    }
    return type.ext.includes(path.extname(file).toLowerCase())
      ? []
      : [finding('screenshots-image-type', 'error', MAIN, `${shot.path} has the wrong extension for ${type.mime}`)];
  });
};

/** Licences the validator accepts, recognised by their own text (it uses go-license-detector at 90% confidence). */
const LICENCES: Array<{ name: string; text: RegExp }> = [
  { name: 'Apache-2.0', text: /Apache License\s+Version 2\.0, January 2004/ },
  { name: 'MIT', text: /Permission is hereby granted, free of charge, to any person obtaining a copy/ },
  { name: 'BSD', text: /Redistribution and use in source and binary forms, with or without\s+modification/ },
  { name: 'GPL-3.0/AGPL-3.0/LGPL-3.0', text: /(GNU (AFFERO |LESSER )?GENERAL PUBLIC LICENSE)\s+Version 3/ },
];

/** license: LICENSE exists, is an accepted licence, and the template's placeholders are filled in. */
const license: Rule = (dir) => {
  const file = path.join(dir, 'LICENSE');
  if (!existsSync(file)) {
    return [finding('license-not-provided', 'error', 'LICENSE', 'LICENSE file not found')];
  }
  const text = readFileSync(file, 'utf8');
  if (!LICENCES.some((l) => l.text.test(text))) {
    return [finding('license-not-valid', 'error', 'LICENSE', 'not one of Apache-2.0, MIT, BSD, (A/L)GPL-3.0')];
  }
  // The validator looks for the brace form; the bracket form is how Apache's own appendix prints it.
  const placeholder = ['{name of copyright owner}', '{yyyy}', '[name of copyright owner]', '[yyyy]'].find((p) =>
    text.includes(p)
  );
  return placeholder
    ? [finding('license-with-generic-text', 'warning', 'LICENSE', `still has the template's ${placeholder}`)]
    : [];
};

/** typesuffix, pluginname, version, grafanadependency, discoverability and links, for every plugin.json. */
const metadataFields: Rule = (_dir, metadata) =>
  [...metadata].flatMap(([key, meta]) => {
    const out: Finding[] = [];
    const id = meta.id ?? '';
    if (meta.type && id.split('-').pop() !== meta.type) {
      out.push(finding('plugin-type-suffix', 'error', key, `id ${id} should end with -${meta.type}`));
    }
    if (id.split('-').length < 3) {
      out.push(finding('invalid-id-format', 'warning', key, `id ${id} should be org-name-type`));
    }
    if (meta.name && meta.name === id) {
      out.push(finding('human-friendly-name', 'error', key, 'name should be human-friendly, not the id'));
    }
    if (!semver.valid(meta.info?.version ?? '')) {
      out.push(finding('wrong-plugin-version', 'error', key, `version "${meta.info?.version}" is not semver`));
    }
    const range = meta.dependencies?.grafanaDependency ?? '';
    if (!range.trim() || !semver.validRange(range)) {
      out.push(finding('invalid-grafana-dependency', 'error', key, `grafanaDependency "${range}" is not a range`));
    }
    if (!meta.info?.description) {
      out.push(finding('empty-description', 'warning', key, 'description is empty'));
    }
    if (!meta.info?.keywords?.length) {
      out.push(finding('empty-keywords', 'warning', key, 'keywords are empty'));
    }
    for (const link of meta.info?.links ?? []) {
      if (!link.name || !/^https?:\/\/[^\s/]+/.test(link.url ?? '')) {
        out.push(finding('broken-link', 'error', key, `link "${link.name}" has no name or no http(s) URL`));
      }
    }
    return out;
  });

/** modulejs: Grafana loads module.js beside every plugin.json. */
const moduleJs: Rule = (dir, metadata) =>
  [...metadata.keys()]
    .map((key) => path.posix.join(path.posix.dirname(key), 'module.js'))
    .filter((file) => !existsSync(path.join(dir, file)))
    .map((file) => finding('missing-modulejs', 'error', file, `missing ${file}`));

/** readme, templatereadme, changelog. */
const docs: Rule = (dir) => {
  const read = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '');
  const readme = read('README.md');
  const out: Finding[] = [];
  if (!readme.trim()) {
    out.push(finding('missing-readme', 'error', 'README.md', 'README.md is missing or empty'));
  }
  if (/<!--(.*?)-->/s.test(readme)) {
    out.push(finding('readme-comment', 'warning', 'README.md', 'README.md contains comments'));
  }
  if (/Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template/i.test(readme)) {
    out.push(finding('template-readme', 'error', 'README.md', 'README.md is the create-plugin template'));
  }
  if (!read('CHANGELOG.md').trim()) {
    out.push(finding('missing-changelog', 'warning', 'CHANGELOG.md', 'CHANGELOG.md is missing or empty'));
  }
  return out;
};

/** unsafesvg, in short: no scripts, event handlers, foreign objects or external references in an SVG. */
const unsafeSvg: Rule = (dir) =>
  walk(dir)
    .filter((f) => f.endsWith('.svg'))
    .filter((f) =>
      /<script|<foreignObject|\son[a-z]+\s*=|(?:xlink:)?href\s*=\s*["'](?!#)/i.test(
        readFileSync(path.join(dir, f), 'utf8')
      )
    )
    .map((f) => finding('unsafe-svg-file', 'error', f, `${f} has scripts, handlers or external references`));

const RULES: Rule[] = [includesNested, metadataPaths, screenshots, license, metadataFields, moduleJs, docs, unsafeSvg];

/** Every finding for the built plugin in `dir` (an unpacked archive or dist/); empty means the checks pass. */
export function validatePluginArchive(dir: string): Finding[] {
  const { metadata, findings } = readMetadata(dir);
  return [...findings, ...RULES.flatMap((rule) => rule(dir, metadata))];
}
