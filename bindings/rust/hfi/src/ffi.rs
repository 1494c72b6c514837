//! Small helpers at the C boundary.

use std::ffi::{c_char, CString};
use std::os::raw::c_void;

use hfi_sys as sys;

use crate::error::{Error, Result};

/// Copies a borrowed `(ptr, len)` string out of hfi; empty when the getter fails.
pub(crate) fn text(get: impl FnOnce(*mut *const c_char, *mut usize) -> i32) -> String {
    let mut p: *const c_char = std::ptr::null();
    let mut n: usize = 0;
    if get(&mut p, &mut n) != sys::HFI_OK || p.is_null() || n == 0 {
        return String::new();
    }
    // SAFETY: hfi returned `n` readable bytes at `p`, valid until its owner is freed.
    let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, n) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies borrowed bytes out of hfi.
pub(crate) fn bytes(get: impl FnOnce(*mut *const c_void, *mut usize) -> i32) -> Vec<u8> {
    let mut p: *const c_void = std::ptr::null();
    let mut n: usize = 0;
    if get(&mut p, &mut n) != sys::HFI_OK || p.is_null() || n == 0 {
        return Vec::new();
    }
    // SAFETY: as in `text`.
    unsafe { std::slice::from_raw_parts(p as *const u8, n) }.to_vec()
}

/// Runs a call that may refuse its arguments, and turns a refusal into an [`Error`] with hfi's
/// explanation, which is thread-local: it is read right after, on the same thread.
pub(crate) fn checked(call: impl FnOnce() -> i32) -> Result<()> {
    let code = call();
    if code >= 0 {
        return Ok(());
    }
    let message = text(|p, n| unsafe { sys::hfi_last_error_message(p, n) });
    Err(Error::new(code, message))
}

/// A NUL-terminated copy of `s` for functions that take C strings.
pub(crate) fn c_string(s: &str, what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid(format!("{what} contains a NUL byte")))
}
