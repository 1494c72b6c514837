package hfi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hfi"
)

// The emulator every test talks to: HFI_EMULATOR names the hfi-emulator binary (tests/run.sh
// sets it; the default is the CMake build tree's).
var emu *emulator

type emulator struct {
	cmd *exec.Cmd
	url string
	dir string
}

func startEmulator() (*emulator, error) {
	bin := os.Getenv("HFI_EMULATOR")
	if bin == "" {
		bin = filepath.Join("..", "..", "build", "tests", "emulator", "hfi-emulator")
	}
	dir, err := os.MkdirTemp("", "hfi-go-emu-")
	if err != nil {
		return nil, err
	}
	portFile := filepath.Join(dir, "port")
	cmd := exec.Command(bin, "--port", "0", "--port-file", portFile, "--threads", "256", "--quiet")
	cmd.Stderr = os.Stderr
	// Stopped with the test process even when a test ends it early (os.Exit, a panic).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the emulator %s (set HFI_EMULATOR): %w", bin, err)
	}
	for i := 0; i < 200; i++ {
		if port, err := os.ReadFile(portFile); err == nil && len(port) > 0 {
			return &emulator{cmd: cmd, url: "http://127.0.0.1:" + strings.TrimSpace(string(port)), dir: dir}, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("the emulator %s did not start", bin)
}

func (e *emulator) stop() {
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	_, _ = e.cmd.Process.Wait()
	_ = os.RemoveAll(e.dir)
}

// post sends a control request (/_emulator/...) and fails the test unless it is accepted.
func (e *emulator) post(t testing.TB, path string, body string) {
	t.Helper()
	resp, err := http.Post(e.url+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("emulator %s: %v", path, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("emulator %s refused %s: %s", path, body, answer)
	}
}

// requestsTo counts the requests the emulator received on a path.
func (e *emulator) requestsTo(t testing.TB, path string) int {
	t.Helper()
	resp, err := http.Get(e.url + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var seen []struct{ Path string }
	if err := json.NewDecoder(resp.Body).Decode(&seen); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range seen {
		if r.Path == path {
			n++
		}
	}
	return n
}

func TestMain(m *testing.M) {
	var err error
	if emu, err = startEmulator(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	emu.stop()
	os.Exit(code)
}

// client is a client of the shared emulator, closed when the test ends.
func client(t testing.TB, opts ...hfi.Option) *hfi.Client {
	t.Helper()
	all := append([]hfi.Option{hfi.WithRouterURL(emu.url), hfi.WithHubURL(emu.url), hfi.WithToken("hf_test"),
		hfi.WithTokenFromEnv(false)}, opts...)
	c, err := hfi.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// route gives a test its own chat URL on the shared emulator, so that the script steps it
// queues (matched by path) serve its requests only, even with tests running in parallel.
func route(t testing.TB) (baseURL, chatPath string) {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	return emu.url + "/t/" + name + "/v1", "/t/" + name + "/v1/chat/completions"
}

// script queues an emulator step for a path.
func script(t testing.TB, path string, step map[string]any) {
	t.Helper()
	step["match"] = map[string]any{"path": path}
	body, _ := json.Marshal(step)
	emu.post(t, "/_emulator/script", string(body))
}

func ask(prompt string) *hfi.ChatRequest {
	return &hfi.ChatRequest{Model: "meta-llama/Llama-3.1-8B-Instruct",
		Messages: []hfi.Message{{Role: "user", Content: prompt}}}
}

func words(n int) string {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "w%d ", i)
	}
	return strings.TrimSpace(b.String())
}

func background() context.Context { return context.Background() }
