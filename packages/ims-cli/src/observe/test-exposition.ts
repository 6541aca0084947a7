/** Test helper: samples of a Prometheus text exposition, by metric name and labels. Test-only. */
export type Labels = Record<string, string>;

/** Every sample of `name`: its labels and value, in order. */
export function samplesOf(text: string, name: string): [Labels, number][] {
  const out: [Labels, number][] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Labels = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
    out.push([labels, Number(m[3])]);
  }
  return out;
}

/** The value of the one sample of `name` whose labels are exactly `labels`; throws if there is none. */
export function sampleOf(text: string, name: string, labels: Labels = {}): number {
  const key = JSON.stringify(Object.entries(labels).sort());
  const found = samplesOf(text, name).find(([l]) => JSON.stringify(Object.entries(l).sort()) === key);
  if (!found) throw new Error(`no sample ${name}${JSON.stringify(labels)} in:\n${text.split("\n").filter((l) => l.startsWith(name)).join("\n")}`);
  return found[1];
}
