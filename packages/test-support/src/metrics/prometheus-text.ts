// parse-prometheus-text-format ships no types: the shape of its output (prom2json's).
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface PromSample {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

export interface PromFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: PromSample[];
}

const parse = parsePrometheusTextFormat as (text: string) => PromFamily[];

/**
 * Parse a Prometheus text exposition with a third-party parser (not prom-client's own). The parser
 * folds the series of a labelled histogram into one (it keys buckets by `le` alone), so the body is
 * parsed a second time with histograms declared untyped: `<name>_count`, `_sum` and `_bucket` are
 * then families of their own, each series with its labels.
 */
export function parsePrometheus(text: string): Map<string, PromFamily> {
  const families = new Map(parse(text).map((f) => [f.name, f]));
  const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  const series = new Map<string, PromFamily>();
  // The series of one histogram interleave (_bucket, _sum, _count per label set): gather them by name.
  for (const family of parse(untyped)) {
    const known = series.get(family.name);
    if (known) known.metrics.push(...family.metrics);
    else series.set(family.name, family);
  }
  for (const [name, family] of series) if (!families.has(name)) families.set(name, family);
  return families;
}

/** The sample of `family` whose labels include every one of `labels`. */
export function sampleOf(
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): PromSample | undefined {
  return families
    .get(name)
    ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}
