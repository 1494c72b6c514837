//go:build !hfi_static

package hfi

// #cgo pkg-config: hfi
import "C"
