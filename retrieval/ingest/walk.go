package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"newsbot/bot"
)

// Func receives the outcome of reading one file: its articles, its error,
// or both when the error is a *LineErrors.
type Func func(path string, arts []bot.Article, err error)

// Paths reads every file named in paths and every supported file below the
// directories named in paths, in lexical order, calling fn once per file so
// that one bad file never stops the others. Inside directories, hidden
// files and directories (name starting with ".") and files with unsupported
// extensions are skipped silently; a file named directly with an unsupported
// extension, a missing path or an unreadable directory is reported to fn.
// Symbolic links are followed, named on the command line or inside a
// directory (see PathsNotify for what is said about them). Paths returns
// only ctx's error, when it is cancelled between files.
func Paths(ctx context.Context, paths []string, fn Func) error {
	return PathsNotify(ctx, paths, fn, nil)
}

// PathsNotify is Paths that also tells notice, once per directory named
// in paths that holds symbolic links, what was done with them: links to
// files and directories are followed; a link whose target is missing, or
// a directory already read (a loop back to an ancestor, or a second link
// to one directory) is skipped, so nothing is read twice and a loop ends.
// A nil notice drops the notices.
func PathsNotify(ctx context.Context, paths []string, fn Func, notice func(string)) error {
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(p) // follows a link named here
		if err != nil {
			fn(p, nil, fsError(p, err))
			continue
		}
		if !fi.IsDir() {
			arts, err := File(p)
			fn(p, arts, err)
			continue
		}
		w := &osWalker{fn: fn, visited: map[string]string{}}
		_, err = w.visit(ctx, p)
		if notice != nil {
			if msg := w.summary(p); msg != "" {
				notice(msg)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// osWalker walks one directory tree of the file system, following
// symbolic links and reading each real directory once.
type osWalker struct {
	fn      Func
	visited map[string]string // real path → the path it was read as
	files   int               // links to files followed
	dirs    int               // links to directories followed
	skipped []string          // "path (why)"
	nskip   int
}

// visit reads the directory shown as shown, unless its real path was
// read already (a loop, or a second way to one directory): that is
// skipped, and visit reports false.
func (w *osWalker) visit(ctx context.Context, shown string) (bool, error) {
	real, err := filepath.EvalSymlinks(shown)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		w.fn(shown, nil, fsError(shown, err))
		return false, nil
	}
	if first, ok := w.visited[real]; ok {
		w.skip(shown, "already read as "+first)
		return false, nil
	}
	w.visited[real] = shown
	entries, err := os.ReadDir(shown)
	if err != nil {
		w.fn(shown, nil, fsError(shown, err))
		return true, nil
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(shown, name)
		t := e.Type()
		if t&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				w.skip(p, "target missing or unreadable")
				continue
			case fi.IsDir():
				followed, err := w.visit(ctx, p)
				if followed {
					w.dirs++
				}
				if err != nil {
					return true, err
				}
				continue
			case !fi.Mode().IsRegular() || !Supported(p):
				continue
			}
			w.files++
			arts, err := File(p)
			w.fn(p, arts, err)
			continue
		}
		if e.IsDir() {
			if _, err := w.visit(ctx, p); err != nil {
				return true, err
			}
			continue
		}
		if !Supported(p) || !t.IsRegular() {
			continue // unsupported; sockets, FIFOs, devices
		}
		arts, err := File(p)
		w.fn(p, arts, err)
	}
	return true, nil
}

// maxSkipNamed is how many skipped links a notice names.
const maxSkipNamed = 3

func (w *osWalker) skip(p, why string) {
	w.nskip++
	if len(w.skipped) < maxSkipNamed {
		w.skipped = append(w.skipped, p+" ("+why+")")
	}
}

// summary says what was done with the links below root, or "" if it
// holds none.
func (w *osWalker) summary(root string) string {
	if w.files+w.dirs+w.nskip == 0 {
		return ""
	}
	msg := fmt.Sprintf("%s: followed %d symbolic link(s) (%d to files, %d to directories)", root, w.files+w.dirs, w.files, w.dirs)
	if w.nskip > 0 {
		msg += fmt.Sprintf("; skipped %d: %s", w.nskip, strings.Join(w.skipped, ", "))
		if w.nskip > len(w.skipped) {
			msg += ", …"
		}
	}
	return msg
}

// FS reads every supported file in fsys (for example the embedded seed
// articles) under the same rules as Paths for a directory. The paths given
// to fn are fsys paths.
func FS(ctx context.Context, fsys fs.FS, fn Func) error {
	read := func(p string) ([]bot.Article, error) {
		f, err := fsys.Open(p)
		if err != nil {
			return nil, fsError(p, err)
		}
		defer f.Close()
		return Reader(p, f)
	}
	return walk(ctx, ".", func(root string, wf fs.WalkDirFunc) error {
		return fs.WalkDir(fsys, root, wf)
	}, read, fn)
}

// walk visits the tree at root with walkDir, reading supported files with
// read. Only cancellation stops it.
func walk(ctx context.Context, root string,
	walkDir func(string, fs.WalkDirFunc) error,
	read func(string) ([]bot.Article, error), fn Func) error {
	return walkDir(root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			fn(p, nil, fsError(p, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !Supported(p) {
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil // sockets, FIFOs, devices
		}
		arts, err := read(p)
		fn(p, arts, err)
		return nil
	})
}
