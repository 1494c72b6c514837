//! Finds libhfi: HFI_LIB_DIR (+ HFI_INCLUDE_DIR, HFI_STATIC=1 for libhfi.a), else pkg-config.
use std::env;
use std::process::Command;

fn main() {
    for var in ["HFI_LIB_DIR", "HFI_INCLUDE_DIR", "HFI_STATIC", "PKG_CONFIG_PATH"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let want_static = env::var("HFI_STATIC").map(|v| v == "1").unwrap_or(false);
    if let Ok(dir) = env::var("HFI_LIB_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
        if want_static {
            println!("cargo:rustc-link-lib=static=hfi");
            for lib in ["stdc++", "curl", "simdjson", "pthread"] {
                println!("cargo:rustc-link-lib=dylib={lib}");
            }
        } else {
            println!("cargo:rustc-link-lib=dylib=hfi");
        }
        if let Ok(include) = env::var("HFI_INCLUDE_DIR") {
            println!("cargo:include={include}");
        }
        return;
    }
    let mut args = vec!["--libs", "--cflags"];
    if want_static {
        args.insert(0, "--static");
    }
    let out = Command::new("pkg-config").args(&args).arg("hfi").output();
    let out = match out {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => panic!(
            "pkg-config cannot find hfi ({}): install libhfi, set PKG_CONFIG_PATH, or set HFI_LIB_DIR",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => panic!("pkg-config did not run ({e}): install it, or set HFI_LIB_DIR"),
    };
    for flag in out.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={dir}");
        } else if let Some(lib) = flag.strip_prefix("-l") {
            let kind = if want_static && lib == "hfi" { "static" } else { "dylib" };
            println!("cargo:rustc-link-lib={kind}={lib}");
        } else if let Some(include) = flag.strip_prefix("-I") {
            println!("cargo:include={include}");
        } else if let Some(dir) = flag.strip_prefix("-Wl,-rpath,") {
            // hfi-uninstalled.pc: the build tree's libhfi.so. Link arguments reach only this
            // package's targets, so the directory goes to dependents as DEP_HFI_RPATH.
            println!("cargo:rpath={dir}");
        }
    }
}
