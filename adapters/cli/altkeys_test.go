package cli

import (
	"io"
	"slices"
	"testing"
)

// chunked is a reader that returns its chunks one Read at a time, as a
// terminal delivers keys.
type chunked struct{ parts []string }

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.parts[0])
	if c.parts[0] = c.parts[0][n:]; c.parts[0] == "" {
		c.parts = c.parts[1:]
	}
	return n, nil
}

func TestAltArrows(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		{"plain text", []string{"hello"}, "hello"},
		{"xterm alt-left", []string{"ab\x1b[1;3Dc"}, "ab\x1bbc"},
		{"xterm alt-right", []string{"\x1b[1;3C"}, "\x1bf"},
		{"esc-prefixed arrows", []string{"\x1b\x1b[D\x1b\x1b[C"}, "\x1bb\x1bf"},
		{"split sequence", []string{"x\x1b[1", ";3", "Dy"}, "x\x1bby"},
		{"other escapes pass", []string{"\x1b[H\x1b[F\x1b[1;5D\x1b"}, "\x1b[H\x1b[F\x1b[1;5D\x1b"},
		{"lone escape at the end", []string{"a\x1b"}, "a\x1b"},
		{"Esc key, then a letter", []string{"\x1b", "b"}, "\x1bb"},
		{"split in the middle", []string{"\x1b\x1b", "[D"}, "\x1bb"},
		{"multi-byte text", []string{"é世", "界\x1b[1;3D"}, "é世界\x1bb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(&altArrows{r: &chunked{parts: slices.Clone(tt.parts)}})
			if err != nil || string(got) != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
