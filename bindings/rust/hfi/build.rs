//! Programs of this crate (tests, examples, benches) find an uninstalled libhfi.so through the
//! rpath that hfi-sys took from hfi-uninstalled.pc.
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_HFI_RPATH");
    if let Ok(dir) = std::env::var("DEP_HFI_RPATH") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
