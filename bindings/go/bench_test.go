package hfi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hfi"
)

// Streamed events per second through the Go binding, next to hfi's C benchmark client
// (bench/hfi_bench.c) on the same machine, against one emulator that answers every request with
// the same stream of `benchEvents` text deltas:
//
//	go test -run '^$' -bench StreamEvents -benchtime 1x
//
// HFI_BENCH names the hfi-bench binary (default: the CMake build tree's). Both clients run one
// stream at a time and drive the network on hfi's I/O thread (the Go client always does), and
// hfi-bench also runs in its default mode (the network driven inside the call), for reference.
// The rounds alternate Go and C; the medians are reported.

const benchEvents = 500

func benchEmulator(b *testing.B) *emulator {
	e, err := startEmulator()
	if err != nil {
		b.Fatal(err)
	}
	pieces := make([]string, 0, benchEvents+1)
	for i := 0; i < benchEvents; i++ {
		pieces = append(pieces, fmt.Sprintf(`data: {"id":"b","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"w%d "},"finish_reason":null}]}`+"\n\n", i))
	}
	pieces = append(pieces, "data: [DONE]\n\n")
	step, _ := json.Marshal(map[string]any{"sse": pieces, "repeat": 1000000})
	e.post(b, "/_emulator/script", string(step))
	return e
}

// rate is one measurement: streamed events per second, and the client's CPU time per event.
type rate struct{ eventsPerS, cpuNsPerEvent float64 }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// goEventsPerSecond streams sequentially for d.
func goEventsPerSecond(b *testing.B, c *hfi.Client, d time.Duration) rate {
	req := ask("How many G in huggingface?")
	start, cpu0 := time.Now(), cpuTime()
	events := 0
	for time.Since(start) < d {
		s, err := c.Stream(background(), req)
		if err != nil {
			b.Fatal(err)
		}
		for s.Next() {
			if s.Event().Type == hfi.EventDelta {
				events++
			}
		}
		if err := s.Err(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	return rate{float64(events) / time.Since(start).Seconds(), float64(cpuTime()-cpu0) / float64(events)}
}

// cEventsPerSecond runs hfi-bench for d.
func cEventsPerSecond(b *testing.B, url string, d time.Duration, variant ...string) rate {
	bin := os.Getenv("HFI_BENCH")
	if bin == "" {
		bin = filepath.Join("..", "..", "build", "bench", "hfi-bench")
	}
	args := append([]string{"stream", strconv.Itoa(int(d.Seconds())), "1", url}, variant...)
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		b.Skipf("hfi-bench (%s) did not run: %v (set HFI_BENCH)", bin, err)
	}
	var line struct {
		ReqPerS   float64 `json:"req_per_s"`
		UnitsPerS float64 `json:"units_per_s"`
		CPUPerReq float64 `json:"cpu_us_per_req"`
	}
	if err := json.Unmarshal(out, &line); err != nil || line.UnitsPerS == 0 {
		b.Fatalf("hfi-bench printed %q", out)
	}
	return rate{line.UnitsPerS, line.CPUPerReq * 1000 * line.ReqPerS / line.UnitsPerS}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func BenchmarkStreamEvents(b *testing.B) {
	e := benchEmulator(b)
	defer e.stop()
	c, err := hfi.New(hfi.WithBaseURL(e.url+"/v1"), hfi.WithTokenFromEnv(false))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	url := e.url + "/v1/chat/completions"
	const rounds, seconds = 5, 2
	var goRates, cThread, cCaller, ratios, goCPU, cCPU, cpuRatios []float64
	goEventsPerSecond(b, c, time.Second) // warm-up: connections, page faults
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for r := 0; r < rounds; r++ {
			g := goEventsPerSecond(b, c, seconds*time.Second)
			ct := cEventsPerSecond(b, url, seconds*time.Second, "thread")
			cc := cEventsPerSecond(b, url, seconds*time.Second)
			goRates, cThread, cCaller = append(goRates, g.eventsPerS), append(cThread, ct.eventsPerS), append(cCaller, cc.eventsPerS)
			goCPU, cCPU = append(goCPU, g.cpuNsPerEvent), append(cCPU, ct.cpuNsPerEvent)
			ratios = append(ratios, g.eventsPerS/ct.eventsPerS)
			cpuRatios = append(cpuRatios, g.cpuNsPerEvent/ct.cpuNsPerEvent)
		}
	}
	b.StopTimer()
	g, ct, cc, ratio, cpuRatio := median(goRates), median(cThread), median(cCaller), median(ratios), median(cpuRatios)
	b.ReportMetric(g, "go-events/s")
	b.ReportMetric(ct, "c-thread-events/s")
	b.ReportMetric(cc, "c-caller-events/s")
	b.ReportMetric(ratio, "go/c-thread")
	b.ReportMetric(cpuRatio, "go/c-cpu-per-event")
	var rows []string
	for i := range goRates {
		rows = append(rows, fmt.Sprintf("%.0f/%.0f", goRates[i], cThread[i]))
	}
	fmt.Printf("streamed events/s, %d deltas per stream, one stream at a time, %d rounds of %d s (go/c-thread per round: %s):\n"+
		"  Go binding              %10.0f   client CPU %6.0f ns/event\n"+
		"  C, hfi's I/O thread     %10.0f   client CPU %6.0f ns/event\n"+
		"  C, network in the call  %10.0f\n"+
		"  Go / C (same I/O mode): %.2f in events/s, %.2f in CPU per event (medians of the paired rounds)\n",
		benchEvents, rounds, seconds, strings.Join(rows, " "), g, median(goCPU), ct, median(cCPU), cc, ratio, cpuRatio)
}
