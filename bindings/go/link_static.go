//go:build hfi_static

package hfi

// With -tags hfi_static, libhfi.a is linked into the program, which then needs no libhfi.so at
// run time (libcurl and simdjson stay shared libraries).

// #cgo pkg-config: hfi libcurl simdjson
// #cgo LDFLAGS: -Wl,-Bstatic -lhfi -Wl,-Bdynamic -lstdc++ -lm -lpthread
import "C"
