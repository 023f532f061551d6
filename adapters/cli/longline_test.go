package cli

import (
	"bufio"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestChatOverlongLine (issue #23, point 8): a piped line over maxLine is
// refused with a message, like an invalid question, and the chat goes on
// with the next line; the refused line never reaches the bot nor the
// history. A line of exactly maxLine is read whole and handed on (the bot
// then judges it).
func TestChatOverlongLine(t *testing.T) {
	const q1, q2 = "When did the Kariba dam reopen?", "and who said it was back?"
	limit := strings.Repeat("a", maxLine)
	over := limit + "b"
	huge := strings.Repeat("x", 5*maxLine+12345)
	tests := []struct {
		name    string
		in      string
		refused int        // lines refused as too long
		asked   []string   // what reached the bot, in order
		prev    [][]string // each question's history
	}{
		{"exactly the limit", limit + "\n" + q2 + "\n", 0, []string{limit, q2}, [][]string{nil, {limit}}},
		{"exactly the limit, CRLF", limit + "\r\n" + q2 + "\r\n", 0, []string{limit, q2}, [][]string{nil, {limit}}},
		{"limit + 1", over + "\n" + q2 + "\n", 1, []string{q2}, [][]string{nil}},
		{"huge line, then a question", huge + "\n" + q1 + "\n", 1, []string{q1}, [][]string{nil}},
		{"between two questions: out of the history", q1 + "\n" + huge + "\n" + q2 + "\n", 1, []string{q1, q2}, [][]string{nil, {q1}}},
		{"two in a row", over + "\n" + huge + "\n" + q1 + "\n", 2, []string{q1}, [][]string{nil}},
		{"last line, unterminated", q1 + "\n" + huge, 1, []string{q1}, [][]string{nil}},
		{"then quit", huge + "\n/quit\n" + q1 + "\n", 1, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			var out strings.Builder
			if err := NewChat(r, strings.NewReader(tt.in), &out, nil).Run(context.Background()); err != nil {
				t.Fatalf("the chat ended with %v", err)
			}
			if n := strings.Count(out.String(), lineTooLong+"\n"); n != tt.refused {
				t.Errorf("refused %d lines, want %d; output starts %.300q", n, tt.refused, out.String())
			}
			if len(r.got) != len(tt.asked) {
				t.Fatalf("the bot was asked %d questions, want %d", len(r.got), len(tt.asked))
			}
			for i, q := range r.got {
				if q.Text != tt.asked[i] {
					t.Errorf("question %d: %d bytes starting %.40q, want %d bytes starting %.40q", i, len(q.Text), q.Text, len(tt.asked[i]), tt.asked[i])
				}
				if strings.Join(q.Previous, "|") != strings.Join(tt.prev[i], "|") {
					t.Errorf("question %d: history of %d questions (%d bytes), want %d", i, len(q.Previous), len(strings.Join(q.Previous, "")), len(tt.prev[i]))
				}
			}
			// Every question that reached the bot was answered.
			if n := strings.Count(out.String(), "The Kariba dam reopened on Monday."); n != len(tt.asked) {
				t.Errorf("%d answers printed, want %d", n, len(tt.asked))
			}
		})
	}
}

// endless is a reader of n bytes of 'x' and then a newline, made up as
// it is read, so the test itself holds none of it.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n < 0 {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && e.n > 0; i++ {
		p[i] = 'x'
		e.n--
	}
	if i < len(p) && e.n == 0 {
		p[i] = '\n'
		i++
		e.n = -1
	}
	return i, nil
}

// TestReadLineBounded checks that skipping a line far over the limit (64
// MiB) allocates about the limit, not the line: the memory a piped chat
// can be made to hold is bounded.
func TestReadLineBounded(t *testing.T) {
	const size = 64 << 20
	r := bufio.NewReaderSize(&endless{n: size}, 64*1024)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	line, tooLong, err := readLine(r, maxLine)
	runtime.ReadMemStats(&after)
	if err != nil || !tooLong || line != "" {
		t.Fatalf("readLine = %d bytes, tooLong %v, %v; want a refused line", len(line), tooLong, err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4*maxLine {
		t.Errorf("skipping a %d MiB line allocated %d bytes, want at most %d", size>>20, got, 4*maxLine)
	}
	if _, _, err := readLine(r, maxLine); err != io.EOF {
		t.Errorf("after the line: %v, want io.EOF", err)
	}
}
