#!/usr/bin/env bash
# Render the side-by-side benchmark's JSON lines as a grouped bar chart: per scenario, each
# client's req/s relative to the raw-libcurl floor ("rawcurl") of the same scenario, log scale.
# With several rounds, each client's median run (by req/s) is used, as in run-peers.sh's table.
#
# usage: bench/chart.sh RESULTS.jsonl OUT.png
# needs: node (already needed by run-peers.sh) and gnuplot with the pngcairo terminal
#        (Debian: gnuplot-nox).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 RESULTS.jsonl OUT.png" >&2
  exit 2
fi
in=$1
out=$2
for tool in node gnuplot; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool not found" >&2; exit 1; }
done
[ -r "$in" ] || { echo "$0: cannot read $in" >&2; exit 1; }

work=$(mktemp -d -t hfi-chart.XXXXXX)
trap 'rm -rf "$work"' EXIT

# JSON lines -> bars.dat ("x ratio client_index label") and meta.gp (tics, titles, colours).
node - "$in" "$work" <<'JS'
const fs = require("fs");
const [file, dir] = process.argv.slice(2);
const FLOOR = "rawcurl";
const rows = [];
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
  if (!line.trim().startsWith("{")) continue;
  try { rows.push(JSON.parse(line)); } catch { /* the table reports unparsable lines */ }
}
const scenarios = [], clients = [];
const runs = new Map();  // "scenario\tclient" -> [rows]
for (const r of rows) {
  if (!r.client || !r.mode || !Number.isFinite(r.concurrency)) continue;
  const s = `${r.mode} c=${r.concurrency}`;
  if (!scenarios.includes(s)) scenarios.push(s);
  if (!clients.includes(r.client)) clients.push(r.client);
  const k = `${s}\t${r.client}`;
  if (!runs.has(k)) runs.set(k, []);
  runs.get(k).push(r);
}
if (!scenarios.length) { console.error("no benchmark lines in " + file); process.exit(1); }
// The floor first, then hfi's variants beside it, then the others, each in run order.
const rank = (c) => (c === FLOOR ? 0 : c.startsWith(FLOOR) ? 1 : c === "hfi" || c.startsWith("hfi-") ? 2 : 3);
clients.sort((a, b) => rank(a) - rank(b));
const median = (list) => {
  const ok = (list || []).filter((r) => !r.error && !r.skipped && Number.isFinite(r.req_per_s));
  if (!ok.length) return null;
  ok.sort((a, b) => a.req_per_s - b.req_per_s);
  return ok[Math.floor((ok.length - 1) / 2)];
};
const rounds = Math.max(...[...runs.values()].map((l) => l.length));
const n = clients.length, width = 0.8 / n;
let bars = "", lo = 1;
scenarios.forEach((s, si) => {
  const floor = median(runs.get(`${s}\t${FLOOR}`));
  clients.forEach((c, ci) => {
    const x = (si + (ci - (n - 1) / 2) * width).toFixed(4);
    const list = runs.get(`${s}\t${c}`);
    const r = median(list);
    if (!list) return;
    if (!r || !floor) {
      const why = list.some((x) => x.skipped) ? "n/a" : "failed";
      bars += `${x} -1 ${ci} "${why}"\n`;
      return;
    }
    const ratio = r.req_per_s / floor.req_per_s;
    lo = Math.min(lo, ratio);
    const label = ratio >= 10 ? `${ratio.toFixed(0)}×` : ratio >= 1 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
    bars += `${x} ${ratio.toFixed(5)} ${ci} "${label}"\n`;
  });
});
const colour = (c) => ({
  "rawcurl": "#7f7f7f", "rawcurl-h2c": "#bdbdbd", "hfi": "#1f5fa8", "hfi-thread": "#5b9bd5",
  "hfi-poll": "#2a9d8f", "hfi-thread-poll": "#76c7b7", "hf-inference-js": "#f28e2b", "openai-js": "#d62728",
}[c] || ["#8c564b", "#9467bd", "#e377c2", "#bcbd22", "#17becf"][clients.indexOf(c) % 5]);
const ymin = [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001].find((v) => v <= lo / 1.6) || 0.001;
const meta = [
  `set xtics (${scenarios.map((s, i) => `"${s}" ${i}`).join(", ")})`,
  `set xrange [-0.6:${scenarios.length - 0.4}]`,
  `set yrange [${ymin}:2.5]`,
  `set boxwidth ${(width * 0.92).toFixed(4)}`,
  `n_clients = ${n}`,
  `ymin = ${ymin}`,
  `client_name(i) = word("${clients.join(" ")}", i + 1)`,
  `client_colour(i) = word("${clients.map(colour).join(" ")}", i + 1)`,
  `rounds_note = "${rounds > 1 ? `median of ${rounds} rounds` : "one round"}"`,
];
fs.writeFileSync(`${dir}/bars.dat`, bars);
fs.writeFileSync(`${dir}/meta.gp`, meta.join("\n") + "\n");
JS

gnuplot <<GP
set terminal pngcairo size 1100,640 font "DejaVu Sans,11" noenhanced
set output "$out"
load "$work/meta.gp"
set title "req/s relative to the raw-libcurl floor of the same scenario (log scale; " . rounds_note . ")"
set ylabel "req/s ÷ rawcurl req/s"
set logscale y
set ytics ("0.001×" 0.001, "0.002×" 0.002, "0.005×" 0.005, "0.01×" 0.01, "0.02×" 0.02, "0.05×" 0.05, \\
           "0.1×" 0.1, "0.2×" 0.2, "0.5×" 0.5, "1×" 1, "2×" 2)
set grid ytics lc rgb "#dddddd"
set key outside right top vertical Left reverse noautotitle
set style fill solid 0.9 border rgb "#404040"
set tics nomirror
set border 3
set bmargin 5
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "#404040" front
set label "dashed line: the floor (raw libcurl, parses nothing); higher is better" at graph 0, screen 0.03 font ",9" tc rgb "#505050"
plot for [i=0:n_clients-1] "$work/bars.dat" using 1:(\$3 == i && \$2 > 0 ? \$2 : NaN) with boxes lc rgb client_colour(i) title client_name(i), \
     "$work/bars.dat" using 1:(\$2 > 0 ? \$2 * 1.06 : ymin * 1.3):4 with labels font ",9" offset 0,0.4 notitle
GP
echo "$out" >&2
