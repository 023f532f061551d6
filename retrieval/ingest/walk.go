package ingest

import (
	"context"
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
// Symbolic links to directories are not followed. Paths returns only
// ctx's error, when it is cancelled between files.
func Paths(ctx context.Context, paths []string, fn Func) error {
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(p)
		if err != nil {
			fn(p, nil, fsError(p, err))
			continue
		}
		if !fi.IsDir() {
			arts, err := File(p)
			fn(p, arts, err)
			continue
		}
		if err := walk(ctx, p, func(root string, wf fs.WalkDirFunc) error {
			return filepath.WalkDir(root, wf)
		}, File, fn); err != nil {
			return err
		}
	}
	return nil
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
