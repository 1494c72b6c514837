// Paired ratios from the side-by-side benchmark's JSON lines: each client's req/s and CPU per
// request divided by those of a reference client (default the floor, "rawcurl") measured in the
// same round and scenario, then the median and range over the rounds. run-peers.sh's table
// instead takes each client's median run on its own; on a machine whose load changes from one
// run to the next, pairing within a round is the steadier comparison.
//
// usage: node bench/paired.mjs RESULTS.jsonl [REFERENCE_CLIENT]   (prints a markdown table)
import { readFileSync } from "node:fs";

const [file, REF = "rawcurl"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node paired.mjs RESULTS.jsonl [REFERENCE_CLIENT]");
  process.exit(2);
}
// run-peers.sh runs the floor first in every scenario of every round: a floor row opens a round.
const FLOOR = "rawcurl";
const rounds = [];      // [{scenario, rows: Map(client -> row)}]
const current = new Map();  // scenario -> its open round
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (!line.trim().startsWith("{")) continue;
  let r;
  try { r = JSON.parse(line); } catch { continue; }
  if (!r.client || r.error || r.skipped || !Number.isFinite(r.req_per_s)) continue;
  const s = `${r.mode} c=${r.concurrency}`;
  if (r.client === FLOOR || !current.has(s)) {
    const round = { scenario: s, rows: new Map() };
    rounds.push(round);
    current.set(s, round);
  }
  current.get(s).rows.set(r.client, r);
}
const pairs = new Map();  // "scenario\tclient" -> [{req, cpu}]
for (const { scenario, rows } of rounds) {
  const ref = rows.get(REF);
  if (!ref) continue;
  for (const [client, r] of rows) {
    if (client === REF) continue;
    const k = `${scenario}\t${client}`;
    if (!pairs.has(k)) pairs.set(k, []);
    pairs.get(k).push({ req: r.req_per_s / ref.req_per_s, cpu: r.cpu_us_per_req / ref.cpu_us_per_req });
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const f2 = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
const out = [
  `| scenario | client | rounds | req/s vs ${REF}: median (min–max) | CPU/req vs ${REF}: median (min–max) |`,
  "|---|---|---:|---:|---:|",
];
for (const [k, p] of pairs) {
  const [s, c] = k.split("\t");
  const req = p.map((x) => x.req), cpu = p.map((x) => x.cpu);
  out.push(`| ${s} | ${c} | ${p.length} | ${f2(median(req))}× (${f2(Math.min(...req))}–${f2(Math.max(...req))}) | ` +
    `${f2(median(cpu))}× (${f2(Math.min(...cpu))}–${f2(Math.max(...cpu))}) |`);
}
console.log(out.join("\n"));
