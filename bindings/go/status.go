package hfi

// #include "hfi_go.h"
import "C"

// Status is an hfi status code: 0 is OK, negative codes are errors, positive ones mean "nothing
// to hand back". The numbers are hfi's stable C codes.
type Status int32

// The status codes of include/hfi/hfi.h.
const (
	StatusOK                Status = C.HFI_OK
	StatusInvalidArg        Status = C.HFI_E_INVALID_ARG
	StatusNoMem             Status = C.HFI_E_NOMEM
	StatusUnknownOption     Status = C.HFI_E_UNKNOWN_OPTION
	StatusBadState          Status = C.HFI_E_BAD_STATE
	StatusUnsupported       Status = C.HFI_E_UNSUPPORTED
	StatusABIMismatch       Status = C.HFI_E_ABI_MISMATCH
	StatusBufferTooSmall    Status = C.HFI_E_BUFFER_TOO_SMALL
	StatusNetwork           Status = C.HFI_E_NETWORK
	StatusTimeout           Status = C.HFI_E_TIMEOUT
	StatusTLS               Status = C.HFI_E_TLS
	StatusCancelled         Status = C.HFI_E_CANCELLED
	StatusAbortedByCallback Status = C.HFI_E_ABORTED_BY_CALLBACK
	StatusConnectTimeout    Status = C.HFI_E_CONNECT_TIMEOUT
	StatusStallTimeout      Status = C.HFI_E_STALL_TIMEOUT
	StatusResolve           Status = C.HFI_E_RESOLVE
	StatusConnect           Status = C.HFI_E_CONNECT
	StatusFirstByteTimeout  Status = C.HFI_E_FIRST_BYTE_TIMEOUT
	StatusHTTP              Status = C.HFI_E_HTTP
	StatusBadRequest        Status = C.HFI_E_BAD_REQUEST
	StatusAuth              Status = C.HFI_E_AUTH
	StatusForbidden         Status = C.HFI_E_FORBIDDEN
	StatusNotFound          Status = C.HFI_E_NOT_FOUND
	StatusUnprocessable     Status = C.HFI_E_UNPROCESSABLE
	StatusRateLimited       Status = C.HFI_E_RATE_LIMITED
	StatusServer            Status = C.HFI_E_SERVER
	StatusUnavailable       Status = C.HFI_E_UNAVAILABLE
	StatusModelLoading      Status = C.HFI_E_MODEL_LOADING
	StatusPaymentRequired   Status = C.HFI_E_PAYMENT_REQUIRED
	StatusProtocol          Status = C.HFI_E_PROTOCOL
	StatusStreamError       Status = C.HFI_E_STREAM_ERROR
	StatusStreamTruncated   Status = C.HFI_E_STREAM_TRUNCATED
	StatusTooLarge          Status = C.HFI_E_TOO_LARGE
	StatusInternal          Status = C.HFI_E_INTERNAL
	StatusNoEvent           Status = C.HFI_NO_EVENT
	StatusPending           Status = C.HFI_PENDING
)

// String is hfi's English text for the code, e.g. "rate limited (HTTP 429)".
func (s Status) String() string { return C.GoString(C.hfi_status_str(C.hfi_status(s))) }

// Version is the loaded library's version, e.g. "0.2.0".
func Version() string { return C.GoString(C.hfi_version_str()) }

// ABIVersion is the loaded library's ABI generation; the binding is built for generation 0 and
// refuses to compile against any other header.
func ABIVersion() int { return int(C.hfi_abi_version()) }
