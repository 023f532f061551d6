package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
)

// Errors that describe why a file's content was refused. They are wrapped
// with the file name and details; test for them with errors.Is.
var (
	ErrEmpty       = errors.New("empty")
	ErrBinary      = errors.New("binary file")
	ErrNotUTF8     = errors.New("not valid UTF-8 text")
	ErrTooLarge    = errors.New("too large")
	ErrUnsupported = errors.New("unsupported file type")
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Normalize turns raw file content into the text articles store. It
// accepts UTF-8 (a BOM is dropped) and UTF-16 with a BOM, which it decodes.
// It refuses NUL and other control bytes (except tab, form feed, CR and LF)
// as binary, and invalid UTF-8; it turns CRLF and lone CR into LF, trims
// trailing spaces and tabs from every line, collapses three or more
// newlines into two and trims white space (and stray byte-order marks)
// around the whole text. Everything else is kept byte
// for byte. Whitespace-only content is ErrEmpty.
func Normalize(data []byte) (string, error) {
	data, err := decodeBOM(data)
	if err != nil {
		return "", err
	}
	if err := checkText(data); err != nil {
		return "", err
	}
	t := tidy(string(data))
	if t == "" {
		return "", ErrEmpty
	}
	return t, nil
}

// normalizeString is Normalize for text that came out of a decoder (JSON,
// HTML), where a BOM means nothing special but control bytes still do.
func normalizeString(s string) (string, error) {
	if err := checkText([]byte(s)); err != nil {
		return "", err
	}
	t := tidy(s)
	if t == "" {
		return "", ErrEmpty
	}
	return t, nil
}

func decodeBOM(data []byte) ([]byte, error) {
	var enc *xunicode.Endianness
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], nil
	case bytes.HasPrefix(data, bomUTF16LE):
		e := xunicode.LittleEndian
		enc = &e
	case bytes.HasPrefix(data, bomUTF16BE):
		e := xunicode.BigEndian
		enc = &e
	default:
		return data, nil
	}
	if len(data)%2 != 0 {
		return nil, fmt.Errorf("%w: odd length for UTF-16", ErrNotUTF8)
	}
	dec := xunicode.UTF16(*enc, xunicode.ExpectBOM).NewDecoder()
	out, err := dec.Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("%w: bad UTF-16: %v", ErrNotUTF8, err)
	}
	return out, nil
}

// checkText reports the first binary control byte or invalid UTF-8
// sequence. Binary is checked first: a binary file is usually also invalid
// UTF-8, and "binary file" is the more useful diagnosis.
func checkText(data []byte) error {
	for i, b := range data {
		if isBinaryByte(b) {
			return fmt.Errorf("%w (control byte 0x%02X at offset %d)", ErrBinary, b, i)
		}
	}
	if !utf8.Valid(data) {
		return fmt.Errorf("%w (invalid byte at offset %d)", ErrNotUTF8, firstInvalid(data))
	}
	return nil
}

func isBinaryByte(b byte) bool {
	switch b {
	case '\t', '\n', '\r', '\f':
		return false
	}
	return b < 0x20 || b == 0x7F
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// tidy does the line-level clean-up of Normalize on valid text.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\n")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank > 0 {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	// A stray byte-order mark (U+FEFF) at either end is invisible: trim it
	// like white space, so normalising twice changes nothing.
	return strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}
