package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestHumanLogLines(t *testing.T) {
	tests := []struct {
		name string
		log  func(*slog.Logger)
		want string
	}{
		{"warning", func(l *slog.Logger) { l.Warn("feed article not stored", "err", "no text") },
			"newsbot: warning: feed article not stored (err=\"no text\")\n"},
		{"info bare", func(l *slog.Logger) { l.Info("feed articles stored", "added", 3) },
			"newsbot: feed articles stored (added=3)\n"},
		{"error", func(l *slog.Logger) { l.Error("ask", "err", "boom") }, "newsbot: error: ask (err=boom)\n"},
		{"debug filtered", func(l *slog.Logger) { l.Debug("noise") }, ""},
		{"group and attrs", func(l *slog.Logger) {
			l.With("feed", "bbc").WithGroup("http").Warn("slow", "status", 503, "body", "a\nb")
		}, "newsbot: warning: slow (feed=bbc, http.status=503, http.body=\"a b\")\n"},
		{"empty value", func(l *slog.Logger) { l.Warn("x", "path", "") }, "newsbot: warning: x (path=\"\")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			tt.log(slog.New(logHandler(&b, logHuman, slog.LevelInfo)))
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

// TestLogFormatFlag checks --log-format json through Main: every log line
// is a JSON object; a bad format is a usage error.
func TestLogFormatFlag(t *testing.T) {
	f := t.TempDir() + "/dam.jsonl"
	os.WriteFile(f, []byte(`{"id":"d1","title":"Dam","published":"someday","text":"The Kariba dam opened on Monday."}`+"\n"), 0o644)
	m, _, errb := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"--log-format", "json", "ingest", f}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no log line: the unreadable date should have been logged")
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["level"] == nil {
			t.Errorf("log line is not a JSON record: %q", l)
		}
	}
	m2, _, _ := testMain(t, nil)
	var ue usageError
	if err := m2.Run(context.Background(), []string{"--log-format", "xml", "stats"}); !errors.As(err, &ue) {
		t.Errorf("--log-format xml: %v, want a usage error", err)
	}
}

// TestConfigExampleDocumentsEveryKey checks that config.example.toml names
// every top-level key of Config, log_format included, so the example stays
// the reference the README says it is.
func TestConfigExampleDocumentsEveryKey(t *testing.T) {
	b, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"data_dir", "log_level", "log_format"} {
		if !md.IsDefined(k) {
			t.Errorf("config.example.toml lacks %s", k)
		}
	}
	if c.LogFormat != "" {
		t.Errorf("example log_format %q, want the default (empty)", c.LogFormat)
	}
	dir := t.TempDir()
	bad := dir + "/bad.toml"
	os.WriteFile(bad, []byte(`log_format = "xml"`), 0o644)
	if _, err := loadConfig(bad, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "log_format") {
		t.Errorf("log_format = xml: %v", err)
	}
}
