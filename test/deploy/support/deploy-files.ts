import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
export const OBSERVABILITY_DIR = join(REPO_ROOT, 'deploy', 'observability');
export const DASHBOARDS_DIR = join(OBSERVABILITY_DIR, 'grafana', 'dashboards');

export function readYaml<T = unknown>(path: string): T {
  // `merge: true`: docker-compose.yml uses `<<:` merge keys, as Compose itself reads them.
  return parse(readFileSync(path, 'utf8'), { merge: true }) as T;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Every object of every manifest in deploy/kubernetes, as `kubectl apply -f deploy/kubernetes/` would send them. */
export function kubernetesObjects(): { file: string; object: KubernetesObject }[] {
  const objects: { file: string; object: KubernetesObject }[] = [];
  for (const file of readdirSync(KUBERNETES_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()) {
    for (const document of parseAllDocuments(readFileSync(join(KUBERNETES_DIR, file), 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
      const object = document.toJS() as KubernetesObject | null;
      if (object !== null) objects.push({ file, object });
    }
  }
  return objects;
}

export interface ValidationResult {
  apiVersion: string;
  kind: string;
  name: string;
  errors: string[];
}

/** Validates against the Kubernetes API schemas (see support/validate-kubernetes.mjs). */
export function validateKubernetes(objects: readonly unknown[]): ValidationResult[] {
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-kubernetes.mjs')], {
    cwd: REPO_ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(output) as ValidationResult[];
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr?: string; rawSql?: string; datasource?: { type: string; uid: string } }[];
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: { name: string; datasource?: { type: string; uid: string }; query?: string | { query?: string } }[] };
}

export function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard }));
}

/** Every PromQL expression of a dashboard: panel targets and query variables (`label_values(metric, label)`). */
export function promQlExpressions(dashboard: Dashboard): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const visit = (panels: readonly DashboardPanel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const source = target.datasource ?? panel.datasource;
        if (source?.type === 'prometheus' && target.expr) found.push({ where: `panel "${panel.title}"`, expr: target.expr });
      }
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    if (variable.datasource?.type === 'prometheus' && query) found.push({ where: `variable $${variable.name}`, expr: query });
  }
  return found;
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects. String literals, label matchers `{...}`, ranges `[...]` and
 * grouping clauses `by (...)` and `offset` durations are removed first; what is left that is an identifier not followed by `(`
 * (a function or aggregation) and not a keyword is a metric name. `label_values(metric, label)` (Grafana's
 * variable query) names its metric first.
 */
export function metricNamesIn(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(expr);
  if (labelValues) return [labelValues[1] as string];
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/gi, ' ');
  const names = new Set<string>();
  // Not a name's tail or a number's unit (`5m`): an identifier starts after none of these.
  for (const match of stripped.matchAll(/(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const after = stripped.slice((match.index ?? 0) + name.length).trimStart();
    if (after.startsWith('(') || PROMQL_KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
