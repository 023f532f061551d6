package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"newsbot/adapters/cli"
)

// Log formats: human lines like the rest of newsbot's messages, or slog's
// structured text and JSON for services.
const (
	logAuto  = ""
	logHuman = "human"
	logText  = "text"
	logJSON  = "json"
)

// validLogFormat reports whether f is a log format newsbot knows.
func validLogFormat(f string) bool {
	switch f {
	case logAuto, logHuman, logText, logJSON:
		return true
	}
	return false
}

// logHandler returns the slog handler for format on w. The automatic
// format is human on a terminal and structured text elsewhere, where a
// program or a journal reads it.
func logHandler(w io.Writer, format string, lvl slog.Level) slog.Handler {
	opts := &slog.HandlerOptions{Level: lvl}
	if format == logAuto {
		format = logText
		if cli.IsTerminal(w) {
			format = logHuman
		}
	}
	switch format {
	case logJSON:
		return slog.NewJSONHandler(w, opts)
	case logHuman:
		return &humanHandler{w: w, lvl: lvl, mu: &sync.Mutex{}}
	}
	return slog.NewTextHandler(w, opts)
}

// humanHandler writes "newsbot: warning: message (key=value …)", one line a
// record, so that log lines on a terminal read like newsbot's other output.
type humanHandler struct {
	w      io.Writer
	lvl    slog.Level
	mu     *sync.Mutex
	attrs  []slog.Attr
	prefix string // group prefix for later attributes, "g." or ""
}

func (h *humanHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.lvl }

func (h *humanHandler) Handle(_ context.Context, r slog.Record) error {
	var b bytes.Buffer
	b.WriteString("newsbot: ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString("error: ")
	case r.Level >= slog.LevelWarn:
		b.WriteString("warning: ")
	case r.Level < slog.LevelInfo:
		b.WriteString("debug: ")
	}
	b.WriteString(r.Message)
	var kv []string
	for _, a := range h.attrs {
		kv = appendAttr(kv, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		kv = appendAttr(kv, h.prefix, a)
		return true
	})
	if len(kv) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(kv, ", "))
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(b.Bytes())
	return err
}

// appendAttr adds a as key=value (groups flattened to g.key), quoting
// values that hold spaces or are empty, and keeping each on one line.
func appendAttr(kv []string, prefix string, a slog.Attr) []string {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return kv
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			kv = appendAttr(kv, p, g)
		}
		return kv
	}
	v := strings.Join(strings.Fields(a.Value.String()), " ")
	if v == "" || strings.ContainsAny(v, " =,()\"") {
		v = strconv.Quote(v)
	}
	return append(kv, prefix+a.Key+"="+v)
}

func (h *humanHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr{}, h.attrs...)
	for _, a := range as {
		if h.prefix != "" {
			a.Key = h.prefix + a.Key
		}
		c.attrs = append(c.attrs, a)
	}
	return &c
}

func (h *humanHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = h.prefix + name + "."
	return &c
}
