package ingest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"newsbot/bot"
)

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the size check must come before any reading.
	if err := f.Truncate(73 << 20 / 10); err != nil {
		t.Fatal(err)
	}
	f.Close()

	tests := []struct {
		name string
		path string
		want string // the whole one-line error after "path: "
		is   error
	}{
		{"empty", writeFile(t, dir, "empty.txt", ""), "empty", ErrEmpty},
		{"binary", writeFile(t, dir, "img.txt", "\x89PNG\r\n\x1a\n\x00\x00"), "binary file (control byte 0x1A at offset 6)", ErrBinary},
		{"not UTF-8", writeFile(t, dir, "latin.md", "caf\xe9"), "not valid UTF-8 text (invalid byte at offset 3)", ErrNotUTF8},
		{"too large", big, "too large: 7.3 MiB > 5.0 MiB limit", ErrTooLarge},
		{"unsupported", writeFile(t, dir, "report.pdf", "%PDF"), `unsupported file type ".pdf" (want .txt, .md, .markdown, .html, .htm, .jsonl or .ndjson)`, ErrUnsupported},
		{"missing", filepath.Join(dir, "nope.txt"), "no such file or directory", fs.ErrNotExist},
		{"directory", mkdir(t, dir, "sub.txt"), "is a directory", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := File(tt.path)
			if err == nil || arts != nil {
				t.Fatalf("got %v, %v; want an error", arts, err)
			}
			if got, want := err.Error(), tt.path+": "+tt.want; got != want {
				t.Errorf("error = %q\n want %q", got, want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func mkdir(t *testing.T, dir, name string) string {
	p := filepath.Join(dir, name)
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFileUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any file")
	}
	p := writeFile(t, t.TempDir(), "secret.txt", "Text.")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	_, err := File(p)
	if err == nil || err.Error() != p+": unreadable: permission denied" || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("got %v", err)
	}
}

// noStat hides the Stat method so Reader must find the size by reading.
type noStat struct{ io.Reader }

func TestReaderTooLargeWithoutStat(t *testing.T) {
	r := noStat{io.LimitReader(zeros{}, 8<<20)}
	_, err := Reader("x.txt", r)
	if err == nil || err.Error() != "x.txt: too large: over the 5.0 MiB limit" {
		t.Errorf("got %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b/2.md", "# Two\n\nSecond.")
	writeFile(t, dir, "b/1.txt", "First.")
	writeFile(t, dir, "a.jsonl", `{"id":"j1","text":"J one."}`+"\n"+`{"id":"j2","text":"J two."}`)
	writeFile(t, dir, "b/bad.txt", "")
	writeFile(t, dir, "b/notes.pdf", "%PDF")       // unsupported in a directory: silent
	writeFile(t, dir, ".git/x.txt", "Hidden dir.") // hidden: silent
	writeFile(t, dir, "b/.draft.txt", "Hidden.")   // hidden: silent
	writeFile(t, dir, "c.html", "<html><body><p>Page text here.</p></body></html>")
	direct := writeFile(t, t.TempDir(), "direct.pdf", "%PDF")
	single := writeFile(t, t.TempDir(), "single.txt", "Single.")

	type call struct {
		path string
		ids  []string
		err  bool
	}
	var got []call
	err := Paths(context.Background(), []string{dir, direct, filepath.Join(dir, "missing"), single}, func(p string, arts []bot.Article, err error) {
		c := call{path: p, err: err != nil}
		for _, a := range arts {
			c.ids = append(c.ids, a.ID)
		}
		got = append(got, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []call{
		{filepath.Join(dir, "a.jsonl"), []string{"j1", "j2"}, false},
		{filepath.Join(dir, "b/1.txt"), []string{"1"}, false},
		{filepath.Join(dir, "b/2.md"), []string{"2"}, false},
		{filepath.Join(dir, "b/bad.txt"), nil, true},
		{filepath.Join(dir, "c.html"), []string{"c"}, false},
		{direct, nil, true},
		{filepath.Join(dir, "missing"), nil, true},
		{single, []string{"single"}, false},
	}
	if len(got) != len(want) {
		t.Fatalf("got calls %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i].path != want[i].path || got[i].err != want[i].err || strings.Join(got[i].ids, ",") != strings.Join(want[i].ids, ",") {
			t.Errorf("call %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestPathsCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "1.txt", "One.")
	writeFile(t, dir, "2.txt", "Two.")
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Paths(ctx, []string{dir}, func(string, []bot.Article, error) {
		calls++
		cancel()
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("got %v after %d calls; want context.Canceled after 1", err, calls)
	}
}

func TestFS(t *testing.T) {
	fsys := fstest.MapFS{
		"seeds/000_aa.txt":    {Data: []byte("Seed one. More.")},
		"seeds/001_bb.md":     {Data: []byte("---\ntitle: Seed two\n---\nBody.")},
		"seeds/README":        {Data: []byte("not an article")},
		"seeds/.hidden.txt":   {Data: []byte("Hidden.")},
		"seeds/broken.jsonl":  {Data: []byte("{")},
		"seeds/large.txt":     {Data: []byte(strings.Repeat("a", MaxFileBytes+1))},
		"seeds/sub/002_c.txt": {Data: []byte("Nested.")},
	}
	var ids, failed []string
	err := FS(context.Background(), fsys, func(p string, arts []bot.Article, err error) {
		if err != nil {
			failed = append(failed, err.Error())
		}
		for _, a := range arts {
			ids = append(ids, a.ID)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids, ","); got != "000_aa,001_bb,002_c" {
		t.Errorf("ids = %s", got)
	}
	wantFailed := []string{
		"seeds/broken.jsonl: 1 skipped: line 1: invalid JSON: unexpected end of JSON input",
		"seeds/large.txt: too large: over the 5.0 MiB limit",
	}
	if strings.Join(failed, "\n") != strings.Join(wantFailed, "\n") {
		t.Errorf("failures:\n%s\nwant\n%s", strings.Join(failed, "\n"), strings.Join(wantFailed, "\n"))
	}
}

// TestSupportedList checks the list people are shown names exactly the
// extensions that are read.
func TestSupportedList(t *testing.T) {
	list := SupportedList("or")
	names := strings.FieldsFunc(strings.ReplaceAll(list, " or ", ","), func(r rune) bool { return r == ',' || r == ' ' })
	if len(names) != len(formats) {
		t.Fatalf("SupportedList = %q names %d extensions; %d are read", list, len(names), len(formats))
	}
	for _, n := range names {
		if !Supported("x" + n) {
			t.Errorf("SupportedList names %s, which is not read", n)
		}
	}
}

// TestPathsFollowsSymlinks: a link to a directory named on the command
// line is read (it used to give "0 added … 0 failed"); links inside a
// directory, to files and to directories, are followed; a loop back to an
// ancestor, a second link to a directory already read and a dangling link
// are skipped, and the notice counts and names them.
func TestPathsFollowsSymlinks(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	writeFile(t, real, "a.txt", "Alpha.")
	writeFile(t, real, "sub/b.txt", "Beta.")
	other := filepath.Join(base, "other")
	writeFile(t, other, "c.txt", "Gamma.")
	writeFile(t, base, "loose/d.txt", "Delta.")
	for _, l := range []struct{ target, link string }{
		{real, filepath.Join(base, "linkdir")},                             // named on the command line
		{other, filepath.Join(real, "to-other")},                           // a directory elsewhere: followed
		{other, filepath.Join(real, "sub/other-again")},                    // the same directory again: skipped
		{real, filepath.Join(real, "sub/loop")},                            // back to an ancestor: skipped
		{filepath.Join(base, "loose/d.txt"), filepath.Join(real, "d.txt")}, // a file: followed
		{filepath.Join(base, "gone"), filepath.Join(real, "dangling.txt")}, // dangling: skipped
	} {
		if err := os.Symlink(l.target, l.link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	link := filepath.Join(base, "linkdir")
	var read []string
	var notices []string
	err := PathsNotify(context.Background(), []string{link}, func(p string, arts []bot.Article, err error) {
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		rel, _ := filepath.Rel(link, p)
		read = append(read, rel)
	}, func(msg string) { notices = append(notices, msg) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(read, " "), "a.txt d.txt sub/b.txt sub/other-again/c.txt"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
	if len(notices) != 1 {
		t.Fatalf("notices %q, want one", notices)
	}
	for _, want := range []string{
		"followed 2 symbolic link(s) (1 to files, 1 to directories)",
		"skipped 3",
		filepath.Join(link, "dangling.txt") + " (target missing",
		filepath.Join(link, "sub/loop") + " (already read as " + link + ")",
		// Depth first in lexical order: sub/ comes before to-other.
		filepath.Join(link, "to-other") + " (already read as " + filepath.Join(link, "sub/other-again") + ")",
	} {
		if !strings.Contains(notices[0], want) {
			t.Errorf("notice %q lacks %q", notices[0], want)
		}
	}
	// Plain Paths reads the same files.
	n := 0
	Paths(context.Background(), []string{link}, func(string, []bot.Article, error) { n++ })
	if n != len(read) {
		t.Errorf("Paths read %d files, PathsNotify %d", n, len(read))
	}
}
