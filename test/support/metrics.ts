// GET /metrics read back the way Prometheus reads it.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, one sample a line (no escaped quotes in our label values). */
export function parseMetrics(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const sample = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; contentType: string | null }> {
  const response = await fetch(url.replace(/\/graphql$/, "/metrics"), { headers });
  return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") };
}

/** One figure from a service's GET /metrics (undefined: no such series). */
export async function metricValue(url: string, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sampleValue(parseMetrics((await scrape(url)).text), name, labels);
}
