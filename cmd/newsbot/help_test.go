package main

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"newsbot/internal/golden"
)

// TestHelpGolden runs "-h" of every command (and of newsbot itself): each
// answers with its usage and status 0, as testdata/help_*.golden shows.
func TestHelpGolden(t *testing.T) {
	runs := [][]string{{"-h"}}
	for _, c := range cmdSpecs {
		if c.name != "help" {
			runs = append(runs, []string{c.name, "-h"})
		}
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
			got := out.String() + errb.String()
			if !strings.Contains(got, "Usage: newsbot") {
				t.Errorf("%v printed no usage:\n%s", args, got)
			}
			if strings.Contains(got, "(default -1)") || strings.Contains(got, "configured one)") {
				t.Errorf("%v shows a sentinel default:\n%s", args, got)
			}
			golden.Check(t, name, got)
		})
	}
}

var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)

// TestCompletionMatchesFlags checks the completion table against the real
// commands: every command of the usage text is in it, and each command's
// flags are exactly those its -h lists.
func TestCompletionMatchesFlags(t *testing.T) {
	for _, line := range strings.Split(usage[strings.Index(usage, "Commands:"):], "\n")[1:] {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(line, "  ") {
			continue
		}
		if !slices.ContainsFunc(cmdSpecs, func(c cmdSpec) bool { return c.name == f[0] }) {
			t.Errorf("command %s is missing from the completion table", f[0])
		}
	}
	for _, c := range append(cmdSpecs, cmdSpec{name: "", flags: globalFlags}) {
		if c.name == "help" {
			continue
		}
		m, _, errb := testMain(t, nil)
		args := []string{"-h"}
		if c.name != "" {
			args = []string{c.name, "-h"}
		}
		if err := m.Run(context.Background(), args); err != nil {
			t.Fatal(err)
		}
		var real []string
		for _, mm := range flagLine.FindAllStringSubmatch(errb.String(), -1) {
			real = append(real, mm[1])
		}
		var table []string
		for _, f := range c.flags {
			name, _, _ := splitFlag(f)
			table = append(table, name)
		}
		slices.Sort(real)
		slices.Sort(table)
		if !slices.Equal(real, table) {
			t.Errorf("command %q: -h lists flags %v, completion knows %v", c.name, real, table)
		}
	}
}

// TestBashCompletion runs the bash script on a few command lines.
func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	tests := []struct{ line, want string }{
		{"newsbot ar", "articles"},
		{"newsbot --data /tmp/x st", "stats"},
		{"newsbot --log-format ", "human json text"},
		{"newsbot eval --mo", "--mode"},
		{"newsbot eval --mode ", "dense hybrid keyword"},
		{"newsbot rm --", "--before --source --yes"},
		{"newsbot completion z", "zsh"},
		{"newsbot ask --j", "--json"},
	}
	for _, tt := range tests {
		words := strings.Split(tt.line, " ")
		script := bashCompletion() + `
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _newsbot
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '`
		out, err := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tt.line, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("%q completes to %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestCompletionScripts checks each shell's script is produced and names
// every command, and that an unknown shell is a usage error.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		m, out, _ := testMain(t, nil)
		if err := m.Run(context.Background(), []string{"completion", sh}); err != nil {
			t.Fatal(err)
		}
		for _, c := range cmdSpecs {
			if !strings.Contains(out.String(), c.name) {
				t.Errorf("%s script lacks %s", sh, c.name)
			}
		}
		if sh == "bash" || sh == "zsh" {
			if _, err := exec.LookPath("bash"); err == nil && sh == "bash" {
				cmd := exec.Command("bash", "-n")
				cmd.Stdin = strings.NewReader(out.String())
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("bash -n: %v\n%s", err, b)
				}
			}
		}
	}
	m, _, _ := testMain(t, nil)
	var ue usageError
	if err := m.Run(context.Background(), []string{"completion", "tcsh"}); !errors.As(err, &ue) {
		t.Errorf("completion tcsh: %v, want a usage error", err)
	}
}
