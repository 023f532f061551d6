package ingest

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"plain", "One. Two.", "One. Two.", nil},
		{"keeps inner spacing and punctuation", "A  “quoted”\tword — ok.", "A  “quoted”\tword — ok.", nil},
		{"CRLF", "a\r\nb\r\n", "a\nb", nil},
		{"lone CR", "a\rb", "a\nb", nil},
		{"trailing spaces per line", "a  \t\nb \n", "a\nb", nil},
		{"three newlines collapse", "a\n\n\n\nb", "a\n\nb", nil},
		{"whitespace-only lines count as blank", "a\n \n\t\n  \nb", "a\n\nb", nil},
		{"trimmed", "\n\n  a\n\n", "a", nil},
		{"UTF-8 BOM", "\xEF\xBB\xBFa", "a", nil},
		{"UTF-16LE BOM", "\xFF\xFEa\x00\xE9\x00", "aé", nil},
		{"UTF-16BE BOM", "\xFE\xFF\x00a\x00\xE9", "aé", nil},
		{"stray BOMs at the ends", "\xEF\xBB\xBF\uFEFFa\uFEFFb\uFEFF", "a\uFEFFb", nil},
		{"UTF-16 with only BOMs", "\xFF\xFE\xFF\xFE", "", ErrEmpty},
		{"form feed kept", "a\fb", "a\fb", nil},
		{"empty", "", "", ErrEmpty},
		{"whitespace only", " \n\t\r\n", "", ErrEmpty},
		{"NUL", "abc\x00def", "", ErrBinary},
		{"escape byte", "abc\x1b[0m", "", ErrBinary},
		{"latin-1", "caf\xe9", "", ErrNotUTF8},
		{"truncated rune", "ab\xe2\x80", "", ErrNotUTF8},
		{"UTF-16 odd length", "\xFF\xFEa", "", ErrNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("Normalize(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeErrorNamesOffset(t *testing.T) {
	_, err := Normalize([]byte("abc\xffdef"))
	if err == nil || err.Error() != "not valid UTF-8 text (invalid byte at offset 3)" {
		t.Errorf("got %v", err)
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{"a \r\n\r\n\r\nb\t\n", "x\n\n\ny\n \nz", "\uFEFFq"} {
		once, err := Normalize([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		twice, err := Normalize([]byte(once))
		if err != nil || twice != once || !utf8.ValidString(once) {
			t.Errorf("Normalize not idempotent on %q: %q then %q (%v)", in, once, twice, err)
		}
	}
}
