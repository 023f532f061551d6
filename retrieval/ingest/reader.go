package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"newsbot/bot"
)

// Size limits. A single-article file larger than MaxFileBytes is refused
// before it is read; a JSON Lines file is read line by line, each line (one
// article) limited to MaxFileBytes and the whole file to MaxJSONLBytes.
const (
	MaxFileBytes  = 5 << 20
	MaxJSONLBytes = 256 << 20
)

// format is one supported file type.
type format struct {
	limit int64
	// read parses a whole file; base is its name without directory and
	// extension, the fallback article ID.
	read func(base string, r io.Reader, limit int64) ([]bot.Article, []LineError, error)
}

// extensions lists the supported file types in the order messages name
// them; it is the one list both lookups and messages come from.
var extensions = []struct {
	ext string
	format
}{
	{".txt", format{MaxFileBytes, single(parseText)}},
	{".md", format{MaxFileBytes, single(parseMarkdown)}},
	{".markdown", format{MaxFileBytes, single(parseMarkdown)}},
	{".html", format{MaxFileBytes, single(parseHTMLFile)}},
	{".htm", format{MaxFileBytes, single(parseHTMLFile)}},
	{".jsonl", format{MaxJSONLBytes, parseJSONL}},
	{".ndjson", format{MaxJSONLBytes, parseJSONL}},
}

var formats = func() map[string]format {
	m := make(map[string]format, len(extensions))
	for _, e := range extensions {
		m[e.ext] = e.format
	}
	return m
}()

// SupportedList names the supported extensions for people, the last two
// joined by conj ("or", "and"): ".txt, .md, … .jsonl or .ndjson".
func SupportedList(conj string) string {
	names := make([]string, len(extensions))
	for i, e := range extensions {
		names[i] = e.ext
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " " + conj + " " + names[last]
}

// Supported reports whether name has an extension this package reads.
func Supported(name string) bool {
	_, ok := formats[strings.ToLower(path.Ext(name))]
	return ok
}

// File reads the articles in the file at path; the extension picks the
// format. Errors name the file. See Reader for what comes back.
func File(p string) ([]bot.Article, error) {
	if !Supported(p) {
		return nil, unsupported(p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fsError(p, err)
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("%s: is a directory", p)
	case !fi.Mode().IsRegular():
		// A FIFO or device would block or never end.
		return nil, fmt.Errorf("%s: not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fsError(p, err)
	}
	defer f.Close()
	return Reader(p, f)
}

// Reader reads the articles in r, a file called name: its extension picks
// the format, its base name without extension is the fallback article ID.
// If r has a Stat method (an *os.File, an fs.File) an oversized file is
// refused before any of it is read.
//
// A file that yields articles but had bad parts returns them with a
// *LineErrors (see Partial); any other error means no articles.
func Reader(name string, r io.Reader) ([]bot.Article, error) {
	f, ok := formats[strings.ToLower(path.Ext(name))]
	if !ok {
		return nil, unsupported(name)
	}
	if s, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
			if fi.Size() > f.limit {
				return nil, named(name, tooLarge(fi.Size(), f.limit))
			}
			if fi.Size() == 0 {
				return nil, named(name, ErrEmpty)
			}
		}
	}
	arts, problems, err := f.read(baseName(name), r, f.limit)
	if err != nil {
		return nil, named(name, err)
	}
	if len(problems) > 0 {
		return arts, &LineErrors{Name: name, Errs: problems}
	}
	return arts, nil
}

func unsupported(name string) error {
	ext := path.Ext(name)
	if ext == "" {
		return fmt.Errorf("%s: %w: no extension (want %s)", name, ErrUnsupported, SupportedList("or"))
	}
	return fmt.Errorf("%s: %w %q (want %s)", name, ErrUnsupported, ext, SupportedList("or"))
}

// baseName is the file name without directory and extension. Both / and
// the OS separator count, since names come from fs.FS paths and OS paths.
func baseName(name string) string {
	b := filepath.Base(filepath.FromSlash(name))
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// single adapts a parser of one whole-file article to a format reader.
func single(parse func(base string, data []byte) (bot.Article, []LineError, error)) func(string, io.Reader, int64) ([]bot.Article, []LineError, error) {
	return func(base string, r io.Reader, limit int64) ([]bot.Article, []LineError, error) {
		data, err := readLimited(r, limit)
		if err != nil {
			return nil, nil, err
		}
		a, problems, err := parse(base, data)
		if err != nil {
			return nil, nil, err
		}
		return []bot.Article{a}, problems, nil
	}
}

// readLimited reads all of r, refusing more than limit bytes without
// reading much past it.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(-1, limit)
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	return data, nil
}
