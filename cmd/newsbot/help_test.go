package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"newsbot/internal/golden"
)

// commandNames are the commands of the tree, as help lists them.
func commandNames(t *testing.T) []string {
	t.Helper()
	m, _, _ := testMain(t, nil)
	var names []string
	for _, c := range m.rootCmd().Commands() {
		if !c.Hidden && c.Name() != "help" {
			names = append(names, c.Name())
		}
	}
	return names
}

// TestHelpGolden runs "-h" of every command (and of newsbot itself): each
// answers with its usage on stdout and status 0, as
// testdata/help_*.golden shows.
func TestHelpGolden(t *testing.T) {
	runs := [][]string{{"-h"}}
	for _, c := range commandNames(t) {
		runs = append(runs, []string{c, "-h"})
	}
	for _, args := range runs {
		name := "help_newsbot"
		if len(args) > 1 {
			name = "help_" + args[0]
		}
		t.Run(name, func(t *testing.T) {
			m, out, errb := testMain(t, nil)
			if err := m.Run(context.Background(), args); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if errb.Len() > 0 {
				t.Errorf("%v wrote to stderr: %s", args, errb)
			}
			got := out.String()
			if !strings.Contains(got, "Usage:\n  newsbot") {
				t.Errorf("%v printed no usage:\n%s", args, got)
			}
			if strings.Contains(got, "(default -1)") || strings.Contains(got, "configured one)") {
				t.Errorf("%v shows a sentinel default:\n%s", args, got)
			}
			if len(args) > 1 && !strings.Contains(got, "Global Flags:") {
				t.Errorf("%v does not list the global flags:\n%s", args, got)
			}
			golden.Check(t, name, got)
		})
	}
}

// TestHelpForms checks that "help", "help CMD", "--help" and "-h", before or
// after the command, print the same help on stdout, global flags included.
func TestHelpForms(t *testing.T) {
	run := func(args ...string) string {
		m, out, errb := testMain(t, nil)
		if err := m.Run(context.Background(), args); err != nil || errb.Len() > 0 {
			t.Fatalf("%v: %v, stderr %q", args, err, errb)
		}
		return out.String()
	}
	top := run("help")
	if top != run("--help") || top != run("-h") {
		t.Errorf("help, --help and -h differ")
	}
	for _, f := range []string{"--config", "--data", "--verbose", "--log-format", "json|text|human", "--version"} {
		if !strings.Contains(top, f) {
			t.Errorf("newsbot help does not name %s:\n%s", f, top)
		}
	}
	ask := run("help", "ask")
	if !strings.Contains(ask, "newsbot ask QUESTION") || ask != run("ask", "--help") || ask != run("ask", "-h") ||
		ask != run("ask", "q", "--help") {
		t.Errorf("help ask differs from ask --help:\n%s", ask)
	}
	if strings.Contains(ask, " -config") {
		t.Errorf("help lists a single-dash flag:\n%s", ask)
	}
}

// TestCompletionValues asks the command tree for completions, as the shell
// scripts do: commands, flags, and flag values.
func TestCompletionValues(t *testing.T) {
	tests := []struct {
		line []string
		want []string
	}{
		{[]string{"ar"}, []string{"articles"}},
		{[]string{"--data", "/tmp/x", "st"}, []string{"stats"}},
		{[]string{"--log-format", ""}, []string{"json", "text", "human"}},
		{[]string{"eval", "--mo"}, []string{"--mode"}},
		{[]string{"eval", "--mode", ""}, []string{"hybrid", "dense", "keyword"}},
		{[]string{"rm", "--"}, []string{"--before", "--source", "--yes"}},
		{[]string{"completion", "z"}, []string{"zsh"}},
		{[]string{"ask", "--j"}, []string{"--json"}},
		{[]string{"stats", "--da"}, []string{"--data"}},
	}
	for _, tt := range tests {
		m, out, _ := testMain(t, nil)
		if err := m.Run(context.Background(), append([]string{"__completeNoDesc"}, tt.line...)); err != nil {
			t.Fatalf("%v: %v", tt.line, err)
		}
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		got = got[:len(got)-1] // the directive
		for _, w := range tt.want {
			if !strings.Contains(strings.Join(got, " ")+" ", w+" ") {
				t.Errorf("%v completes to %v, want %s among them", tt.line, got, w)
			}
		}
	}
}

// TestCompletionScripts checks each shell's script is produced and is
// valid bash where bash can check it, and that an unknown shell is a
// usage error.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		m, out, _ := testMain(t, nil)
		if err := m.Run(context.Background(), []string{"completion", sh}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "newsbot") || out.Len() < 500 {
			t.Errorf("%s script:\n%s", sh, out)
		}
		if _, err := exec.LookPath("bash"); err == nil && sh == "bash" {
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = strings.NewReader(out.String())
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("bash -n: %v\n%s", err, b)
			}
		}
	}
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}} {
		m, _, _ := testMain(t, nil)
		var ue usageError
		if err := m.Run(context.Background(), args); !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// TestErrorGolden runs common mistakes and failures through runMain: each
// prints one line (a usage mistake adds the hint to the command's help)
// and exits with the status of README's table, as testdata/errors.golden
// shows.
func TestErrorGolden(t *testing.T) {
	var b strings.Builder
	missing := t.TempDir() + "/nosuch"
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"statz"},
		{"ask"},
		{"ask", "   "},
		{"ask", "--json", "   "},
		{"ask", "--bogus", "q"},
		{"ask", "--json", "--bogus", "q"},
		{"stats", "extra"},
		{"ingest"},
		{"ingest", "f.txt", "--seedz"},
		{"rm"},
		{"rm", "x", "--source", "y"},
		{"articles", "--since", "soon"},
		{"completion"},
		{"completion", "tcsh"},
		{"--log-format", "xml", "stats"},
		{"--data", missing, "stats"},
		{"--data", missing, "ask", "--json", "q"},
		{"--config", missing + ".toml", "stats"},
	} {
		m, out, errb := testMain(t, nil)
		code := runMain(context.Background(), m, args)
		got := strings.ReplaceAll(out.String()+errb.String(), missing, "$MISSING")
		fmt.Fprintf(&b, "$ newsbot %s\n%s[exit %d]\n\n", strings.ReplaceAll(strings.Join(args, " "), missing, "$MISSING"), got, code)
	}
	golden.Check(t, "errors", b.String())
}
