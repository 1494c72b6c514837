//! The emulator the tests talk to: HFI_EMULATOR names the hfi-emulator binary (tests/run.sh sets
//! it; the default is the CMake build tree's). Each test binary starts one.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

pub struct Emulator {
    child: Child,
    pub url: String,
    dir: PathBuf,
}

impl Emulator {
    pub fn start() -> Emulator {
        let bin = std::env::var("HFI_EMULATOR").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../build/tests/emulator/hfi-emulator").to_string()
        });
        let dir = std::env::temp_dir().join(format!("hfi-rust-emu-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let port_file = dir.join("port");
        // A shared emulator lives in a static, which Rust never drops: a shell holds it and
        // stops it when its stdin (our end of a pipe) closes, i.e. when this process exits.
        let script = r#""$0" --port 0 --port-file "$1" --threads 256 --quiet >/dev/null & emu=$!; read -r _; kill $emu; wait $emu"#;
        let mut child = Command::new("sh")
            .args(["-c", script, &bin])
            .arg(&port_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the emulator {bin} (set HFI_EMULATOR): {e}"));
        for _ in 0..200 {
            if let Ok(port) = std::fs::read_to_string(&port_file) {
                if !port.trim().is_empty() {
                    return Emulator { child, url: format!("http://127.0.0.1:{}", port.trim()), dir };
                }
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        drop(child.stdin.take());
        let _ = child.wait();
        panic!("the emulator {bin} did not start");
    }

    /// A control request (`/_emulator/...`) that must be accepted.
    pub fn post(&self, path: &str, body: &str) -> String {
        let answer = http(&self.url, "POST", path, body);
        assert!(answer.starts_with("HTTP/1.1 2"), "emulator {path} refused {body}: {answer}");
        answer
    }

    pub fn get(&self, path: &str) -> String {
        let answer = http(&self.url, "GET", path, "");
        answer.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default()
    }

    /// Queues a script step for requests to `path` only.
    pub fn script(&self, path: &str, step: serde_json::Value) {
        let mut step = step;
        step["match"] = serde_json::json!({ "path": path });
        self.post("/_emulator/script", &step.to_string());
    }

    /// How many requests reached `path`.
    pub fn requests_to(&self, path: &str) -> usize {
        let seen: serde_json::Value = serde_json::from_str(&self.get("/_emulator/requests")).unwrap();
        seen.as_array().unwrap().iter().filter(|r| r["path"] == path).count()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // the shell stops the emulator
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// A plain HTTP/1.1 exchange (the tests need no HTTP crate).
fn http(url: &str, method: &str, path: &str, body: &str) -> String {
    let host = url.trim_start_matches("http://");
    let mut conn = TcpStream::connect(host).unwrap();
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

/// The emulator shared by the tests of one binary.
pub fn emu() -> &'static Emulator {
    static EMU: OnceLock<Emulator> = OnceLock::new();
    EMU.get_or_init(Emulator::start)
}

/// A client of the shared emulator.
pub fn client() -> hfi::Client {
    builder().build().unwrap()
}

pub fn builder() -> hfi::ClientBuilder {
    let e = emu();
    hfi::Client::builder().router_url(&e.url).hub_url(&e.url).token("hf_test").token_from_env(false)
}

/// A test's own chat URL on the shared emulator, so that its script steps serve it only.
pub fn route(name: &str) -> (String, String) {
    (format!("{}/t/{name}/v1", emu().url), format!("/t/{name}/v1/chat/completions"))
}

pub fn ask(prompt: &str) -> hfi::ChatRequest {
    hfi::ChatRequest::new("meta-llama/Llama-3.1-8B-Instruct", prompt)
}

pub fn words(n: usize) -> String {
    (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
}

pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89".to_vec()
}

pub fn wav() -> Vec<u8> {
    let samples = [0u8; 32];
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&32000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    b.extend_from_slice(&samples);
    b
}
