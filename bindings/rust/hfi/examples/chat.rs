//! Streams a chat answer with the hfi crate.
//!
//! ```sh
//! cargo run --example chat -- [--base-url URL] "prompt"
//! ```
//!
//! The token comes from HF_TOKEN (or the huggingface_hub token file). With --base-url it talks to
//! an OpenAI-compatible server instead of the Hugging Face router (the hfi emulator, TGI, vLLM).
use std::io::Write;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut builder = hfi::Client::builder();
    if args.first().map(String::as_str) == Some("--base-url") && args.len() > 1 {
        builder = builder.base_url(&args[1]);
        args.drain(..2);
    }
    let prompt = if args.is_empty() { "Say hello in one short sentence.".to_string() } else { args.join(" ") };
    let client = builder.build().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let request = hfi::ChatRequest::new("meta-llama/Llama-3.1-8B-Instruct", &prompt);
    let stream = client.stream(&request).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    for event in stream {
        match event {
            Ok(hfi::Event::Delta(text)) => {
                print!("{text}");
                let _ = std::io::stdout().flush();
            }
            Ok(_) => {}
            Err(e) => {
                match e.retry_after() {
                    Some(wait) => eprintln!("\n{e} (retry after {wait:?})"),
                    None => eprintln!("\n{e}"),
                }
                std::process::exit(1);
            }
        }
    }
    println!();
}
