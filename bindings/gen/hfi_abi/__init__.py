"""Reads include/hfi/hfi.h with libclang and derives everything that must agree with it."""
