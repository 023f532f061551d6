package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyChat is `newsbot chat` running on a pseudo-terminal.
type ptyChat struct {
	t    *testing.T
	tty  *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{} // closed when the output is fully read
}

// hangGuard only keeps a broken test from hanging; nothing is timed.
const hangGuard = 60 * time.Second

// startPty runs newsbot with args on a pseudo-terminal, its data under
// dataHome.
func startPty(t *testing.T, dataHome string, args ...string) *ptyChat {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"NEWSBOT_TEST_MAIN=1", "TERM=xterm", "HOME=" + dataHome, "XDG_DATA_HOME=" + dataHome,
		"PATH=" + os.Getenv("PATH")}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyChat{t: t, tty: tty, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return // EIO once the child has exited
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		tty.Close()
	})
	return p
}

func (p *ptyChat) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitFor waits until the output holds s.
func (p *ptyChat) waitFor(s string) {
	p.t.Helper()
	for end := time.Now().Add(hangGuard); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(p.output(), s) {
			return
		}
	}
	p.t.Fatalf("%q never came; output:\n%q", s, p.output())
}

// waitPrompts waits until the chat has shown its prompt n times in all.
func (p *ptyChat) waitPrompts(n int) {
	p.t.Helper()
	for end := time.Now().Add(hangGuard); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if strings.Count(p.output(), "\n"+prompt) >= n {
			return
		}
	}
	p.t.Fatalf("prompt %d never came; output:\n%q", n, p.output())
}

func (p *ptyChat) send(keys string) {
	p.t.Helper()
	if _, err := io.WriteString(p.tty, keys); err != nil {
		p.t.Fatal(err)
	}
}

// exit waits for the chat to end and returns its full output.
func (p *ptyChat) exit() string {
	p.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- p.cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			p.t.Fatalf("chat exited with %v; output:\n%q", err, p.output())
		}
	case <-time.After(hangGuard):
		p.t.Fatalf("chat did not exit; output:\n%q", p.output())
	}
	<-p.done
	return p.output()
}

// prompt is the chat's prompt, as the adapter prints it.
const prompt = "? "

// TestChatTerminalKeys drives the real chat through a pseudo-terminal:
// Ctrl-C clears a half-typed line (the chat goes on), Home and End move
// the cursor and Alt-Left moves by word (xyz, Home, H, End, "! abc",
// Alt-Left, Q is "Hxyz! Qabc"), the question is kept in the
// history file, and /quit leaves with status 0, a final newline and no
// further prompt.
func TestChatTerminalKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program on a pseudo-terminal")
	}
	home := t.TempDir()
	p := startPty(t, home, "chat")
	p.waitPrompts(1)
	p.send("abc\x03")
	p.waitPrompts(2)
	p.send("xyz\x1b[HH\x1b[F! abc\x1b[1;3DQ\r")
	p.waitPrompts(3)
	p.send("/quit\r")
	out := p.exit()
	if !strings.Contains(out, "^C") {
		t.Errorf("Ctrl-C not shown:\n%q", out)
	}
	tail := out[strings.LastIndex(out, "/quit"):]
	if tail != "/quit\r\n" {
		t.Errorf("after /quit the chat printed %q, want only the newline", tail)
	}
	hist, err := os.ReadFile(filepath.Join(home, "newsbot", historyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if string(hist) != "Hxyz! Qabc\n" {
		t.Errorf("history file %q, want the one question asked, edited with Home, End and Alt-Left: \"Hxyz! Qabc\\n\"", hist)
	}
}

// TestChatTerminalCtrlD checks that Ctrl-D on an empty line leaves with
// status 0 and ends the output with a newline, so the shell's prompt
// starts on a line of its own.
func TestChatTerminalCtrlD(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program on a pseudo-terminal")
	}
	p := startPty(t, t.TempDir(), "chat")
	p.waitPrompts(1)
	p.send("\x04")
	out := p.exit()
	if tail := out[strings.LastIndex(out, prompt):]; tail != prompt+"\r\n" {
		t.Errorf("after Ctrl-D the chat printed %q, want %q", tail, prompt+"\r\n")
	}
}

// TestRmConfirmsOnTerminal checks that rm on a terminal lists what it
// would remove and asks: "n" keeps the article, "y" removes it.
func TestRmConfirmsOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program on a pseudo-terminal")
	}
	home := ingestFixture(t)
	for _, tt := range []struct{ answer, want, left string }{
		{"n", "Nothing removed.", "dam bridge wheat undated"},
		{"y", "Removed 1 article (1 chunk)", "bridge wheat undated"},
	} {
		p := startPty(t, home, "rm", "dam")
		p.waitFor("Remove 1 article? [y/N] ")
		p.send(tt.answer + "\r")
		if out := p.exit(); !strings.Contains(out, "Dam opens") || !strings.Contains(out, tt.want) {
			t.Errorf("answer %q:\n%s", tt.answer, out)
		}
		if list, _, _ := run(t, home, "articles"); strings.Join(ids(list), " ") != tt.left {
			t.Errorf("after answering %q:\n%s", tt.answer, list)
		}
	}
}

// TestChatTerminalManners drives the chat on a pseudo-terminal: "hi" gets
// a greeting, not quotes; a 3,000-character question is refused and kept
// out of the history file; an answer's quote lines fit the terminal's 120
// columns, broken between words; a refusal names its closest titles without
// Markdown asterisks; "quit" (no slash) leaves with status 0.
func TestChatTerminalManners(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program on a pseudo-terminal")
	}
	home := t.TempDir()
	p := startPty(t, home, "chat")
	p.waitPrompts(1)
	p.send("hi\r")
	p.waitFor("Hello!")
	p.waitPrompts(2)
	p.send(strings.Repeat("word ", 600) + "\r")
	p.waitFor("2,000 characters")
	p.waitPrompts(3)
	p.send("What did Meloni tell Italian senators in March?\r")
	p.waitPrompts(4)
	p.send("How do I bake sourdough bread?\r")
	p.waitPrompts(5)
	p.send("quit\r")
	out := p.exit()
	for _, l := range strings.Split(out, "\r\n") {
		if strings.HasPrefix(l, "> ") && len([]rune(l)) > 120 {
			t.Errorf("quote line wider than the terminal: %q", l)
		}
	}
	if !strings.Contains(out, "Closest: ") || strings.Contains(out[strings.Index(out, "Closest: "):], "*") {
		t.Errorf("refusal on a terminal:\n%s", out)
	}
	hist, err := os.ReadFile(filepath.Join(home, "newsbot", historyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(hist), "word word") || !strings.Contains(string(hist), "Meloni") {
		t.Errorf("history file %q: want the questions asked, not the rejected one", hist)
	}
}
