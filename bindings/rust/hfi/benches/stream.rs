//! Streamed events/s through the Rust binding, next to hfi's C benchmark client (bench/hfi_bench.c)
//! on the same machine, against one emulator answering every request with the same stream of
//! 500 text deltas:
//!
//! ```sh
//! cargo bench --bench stream
//! ```
//!
//! HFI_EMULATOR and HFI_BENCH name the hfi-emulator and hfi-bench binaries (default: the CMake
//! build tree's). Both clients run one stream at a time with the network on hfi's I/O thread;
//! rounds alternate Rust and C and the medians are reported, with the client CPU per event.
#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

const EVENTS: usize = 500;

fn cpu_time() -> Duration {
    // utime + stime of this process, from /proc (no libc crate needed).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0) + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

fn rust_rate(client: &hfi::Client, d: Duration) -> (f64, f64) {
    let request = hfi::ChatRequest::new("m", "How many G in huggingface?");
    let (start, cpu0) = (Instant::now(), cpu_time());
    let mut events = 0usize;
    while start.elapsed() < d {
        for event in client.stream(&request).expect("stream") {
            if let hfi::Event::Delta(_) = event.expect("event") {
                events += 1;
            }
        }
    }
    let cpu = (cpu_time() - cpu0).as_nanos() as f64;
    (events as f64 / start.elapsed().as_secs_f64(), cpu / events as f64)
}

fn c_rate(url: &str, d: Duration, variant: &[&str]) -> (f64, f64) {
    let bin = std::env::var("HFI_BENCH")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../build/bench/hfi-bench").to_string());
    let out = Command::new(&bin)
        .args(["stream", &d.as_secs().to_string(), "1", url])
        .args(variant)
        .output()
        .unwrap_or_else(|e| panic!("hfi-bench ({bin}) did not run: {e} (set HFI_BENCH)"));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("hfi-bench's JSON line");
    let (req, units, cpu) = (line["req_per_s"].as_f64().unwrap(), line["units_per_s"].as_f64().unwrap(), line["cpu_us_per_req"].as_f64().unwrap());
    (units, cpu * 1000.0 * req / units)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

fn main() {
    let emu = common::Emulator::start();
    let pieces: Vec<String> = (0..EVENTS)
        .map(|i| format!("data: {{\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"w{i} \"}},\"finish_reason\":null}}]}}\n\n"))
        .chain(std::iter::once("data: [DONE]\n\n".to_string()))
        .collect();
    emu.post("/_emulator/script", &serde_json::json!({ "sse": pieces, "repeat": 1_000_000 }).to_string());
    let client = hfi::Client::builder().base_url(&format!("{}/v1", emu.url)).token_from_env(false).build().unwrap();
    let url = format!("{}/v1/chat/completions", emu.url);
    rust_rate(&client, Duration::from_secs(1)); // warm-up
    let (rounds, seconds) = (5, Duration::from_secs(2));
    let (mut rust, mut c, mut ratio, mut rust_cpu, mut c_cpu, mut cpu_ratio) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        let (r, rc) = rust_rate(&client, seconds);
        let (ct, cc) = c_rate(&url, seconds, &["thread"]);
        rust.push(r);
        c.push(ct);
        ratio.push(r / ct);
        rust_cpu.push(rc);
        c_cpu.push(cc);
        cpu_ratio.push(rc / cc);
    }
    let rounds_text: Vec<String> = rust.iter().zip(&c).map(|(r, c)| format!("{r:.0}/{c:.0}")).collect();
    println!(
        "streamed events/s, {EVENTS} deltas per stream, one stream at a time, {rounds} rounds of {}s (rust/c per round: {}):\n  Rust binding            {:>10.0}   client CPU {:>6.0} ns/event\n  C, hfi's I/O thread     {:>10.0}   client CPU {:>6.0} ns/event\n  Rust / C: {:.2} in events/s, {:.2} in CPU per event (medians of the paired rounds)",
        seconds.as_secs(),
        rounds_text.join(" "),
        median(rust.clone()),
        median(rust_cpu),
        median(c.clone()),
        median(c_cpu),
        median(ratio),
        median(cpu_ratio)
    );
}
