package main

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/dustin/go-humanize/english"
	"github.com/spf13/cobra"

	"newsbot/bot"
	"newsbot/retrieval/index"
	"newsbot/retrieval/ingest"
	"newsbot/seeds"
)

func (m *Main) ingestCmd() *cobra.Command {
	var feeds, seed bool
	c := &cobra.Command{
		Use:   "ingest PATH|URL...",
		Short: "Ingest files, directories, feeds or pages",
		Long: "Ingests " + ingest.SupportedList("and") + " files,\ndirectories (recursively), and RSS/Atom/JSON feeds and article pages over\n" +
			"http(s). Creates the data dir if it does not exist.",
		Example: `  newsbot ingest ~/news/
  newsbot ingest https://example.org/feed.xml
  newsbot ingest --feeds`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 && !feeds && !seed {
				return usageError{"ingest: name at least one file, directory or URL (or --feeds, --seeds)"}
			}
			m.createData = true
			return m.runIngest(c.Context(), args, feeds, seed)
		},
	}
	c.Flags().BoolVar(&feeds, "feeds", false, "fetch the feeds in the config once")
	c.Flags().BoolVar(&seed, "seeds", false, "ingest the bundled sample news")
	return c
}

func (m *Main) runIngest(ctx context.Context, args []string, feeds, seed bool) error {
	if err := m.openStore(ctx); err != nil {
		return err
	}
	start := time.Now()
	var arts []bot.Article
	failed := 0
	report := func(name string, err error) {
		failed++
		fmt.Fprintf(m.Stderr, "newsbot: ingest %s\n", oneLine(err))
		m.Log.Debug("ingest failed", "path", name, "err", err)
	}
	var files, urls []string
	for _, a := range args {
		switch scheme(a) {
		case "":
			files = append(files, a)
		case "http", "https":
			urls = append(urls, a)
		default:
			report(a, fmt.Errorf("%s: the %s:// scheme is not supported; give an http(s) URL, a file or a directory", a, scheme(a)))
		}
	}
	if seed {
		got, err := seedArticles()
		if err != nil {
			return err
		}
		arts = append(arts, got...)
	}
	if len(files) > 0 {
		// Notices say which symbolic links were followed or skipped.
		notice := func(msg string) { fmt.Fprintf(m.Stderr, "newsbot: ingest: %s\n", msg) }
		err := ingest.PathsNotify(ctx, files, func(p string, got []bot.Article, err error) {
			arts = append(arts, got...)
			if err == nil {
				return
			}
			if le, ok := ingest.Partial(err); ok {
				// Warnings (an unparseable date) are logged; skipped articles count as failed.
				for _, e := range le.Errs {
					if e.Skipped {
						report(p, fmt.Errorf("%s: line %d: %w", p, e.Line, e.Err))
					} else {
						m.Log.Warn("ingest", "path", p, "line", e.Line, "warning", e.Err)
					}
				}
				return
			}
			report(p, err)
		}, notice)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	if len(urls) > 0 || feeds {
		got, nfail, err := m.fetchArticles(ctx, urls, feeds)
		if err != nil {
			return err
		}
		arts = append(arts, got...)
		failed += nfail
	}
	rep, err := m.put(ctx, arts)
	if err != nil {
		// Each article was committed as it was embedded: say what is kept.
		fmt.Fprintf(m.Stderr, "newsbot: %d article(s) were stored before the error.\n", rep.Added+rep.Replaced)
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(m.Stderr, "newsbot: ingest %s\n", oneLine(e))
	}
	if rep.Added+rep.Replaced > 0 {
		// A store filled by hand needs no sample news if emptied later.
		if err := m.markSeeded(ctx); err != nil {
			return err
		}
	}
	inf := m.totals(ctx)
	n := func(i int) string { return humanize.Comma(int64(i)) }
	fmt.Fprintf(m.Stdout, "%s added, %s unchanged, %s replaced, %s skipped, %s failed in %s; the store holds %s in %s.\n",
		n(rep.Added), n(rep.Unchanged), n(rep.Replaced), english.Plural(rep.Duplicates, "duplicate", ""), n(rep.Failed+failed),
		humanDuration(time.Since(start)), english.Plural(inf.Articles, "article", ""), english.Plural(inf.Chunks, "chunk", ""))
	if rep.Failed+failed > 0 {
		return errReported
	}
	return nil
}

// totals is what the store holds, for a command's closing line: the index
// is synced first, as other processes may have committed while this one
// ran and the index has only its own commits.
func (m *Main) totals(ctx context.Context) bot.Info {
	if _, err := m.index.Sync(ctx); err != nil {
		m.Log.Warn("sync the index before counting", "err", err)
	}
	inf, _ := m.index.Info(ctx)
	return inf
}

// put stores arts with a progress display.
func (m *Main) put(ctx context.Context, arts []bot.Article) (index.Report, error) {
	var pr func(index.Progress)
	if len(arts) >= 20 {
		pr = newProgress(m.Stderr, "articles").update
	}
	return m.index.Put(ctx, arts, pr)
}

// ingestSeeds stores the bundled sample news.
func (m *Main) ingestSeeds(ctx context.Context) (index.Report, error) {
	arts, err := seedArticles()
	if err != nil {
		return index.Report{}, err
	}
	return m.index.Put(ctx, arts, nil)
}

// seedSource is the citation's source for sample articles that name none.
const seedSource = "newsbot sample news"

// seedArticles reads the articles embedded from seeds/.
func seedArticles() ([]bot.Article, error) {
	var arts []bot.Article
	err := fs.WalkDir(seeds.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !ingest.Supported(p) {
			return err
		}
		f, err := seeds.FS.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		got, err := ingest.Reader(path.Base(p), f)
		if err != nil {
			return fmt.Errorf("seed %s: %w", p, err)
		}
		for i := range got {
			if got[i].Source == "" {
				got[i].Source = seedSource
			}
		}
		arts = append(arts, got...)
		return nil
	})
	return arts, err
}

// scheme returns the lower-case scheme of a URL argument such as
// "ftp://host/x", or "" for a path.
func scheme(arg string) string {
	i := strings.Index(arg, "://")
	if i <= 0 {
		return ""
	}
	s := arg[:i]
	for j, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (j == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return ""
		}
	}
	return strings.ToLower(s)
}

// oneLine keeps an error message on one line.
func oneLine(err error) string { return oneLineText(err.Error()) }
