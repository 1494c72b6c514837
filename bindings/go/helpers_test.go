package hfi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func getJSON(t testing.TB, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func sleep(ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }
