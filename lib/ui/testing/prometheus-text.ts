// A reader of the Prometheus text exposition format (samples only; HELP/TYPE are skipped), for tests and the
// rule-test recorder: it undoes label-value escaping (\\, \", \n) so a Kafka name comes back byte for byte.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  for (;;) {
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq);
    if (eq < 0 || text[eq + 1] !== '"' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`bad label in: ${line}`);
    let value = "";
    let j = eq + 2;
    for (; text[j] !== '"'; j++) {
      if (j >= text.length) throw new Error(`unterminated label value in: ${line}`);
      if (text[j] === "\\") {
        j++;
        value += text[j] === "n" ? "\n" : text[j];
      } else value += text[j];
    }
    labels[name] = value;
    i = text[j + 1] === "," ? j + 2 : j + 1;
  }
}

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const brace = line.indexOf("{");
    const space = line.indexOf(" ");
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.slice(0, brace);
      ({ labels, rest } = parseLabels(line.slice(brace + 1), line));
    } else {
      name = line.slice(0, space);
      rest = line.slice(space);
    }
    const [value] = rest.trim().split(" ");
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none, an error when several. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
