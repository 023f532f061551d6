package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// FeedStatus is what "newsbot feeds" shows about one feed.
type FeedStatus struct {
	// URL is the feed's address as configured, without credentials
	// (RedactURL).
	URL string `json:"url"`
	// Name is the configured name, if any.
	Name string `json:"name,omitempty"`
	// Title is the feed's own title, from its last successful fetch.
	Title string `json:"title,omitempty"`
	// LastFetch is the last attempt; LastSuccess the last that worked.
	LastFetch   time.Time `json:"last_fetch,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// LastError is the last attempt's error, or of items that could not
	// be read; empty after a clean fetch.
	LastError string `json:"last_error,omitempty"`
	// Failures counts consecutive failed attempts; it drives the backoff.
	Failures int `json:"failures,omitempty"`
	// NextFetch is when the poller means to fetch the feed next.
	NextFetch time.Time `json:"next_fetch,omitzero"`
	// Articles counts the articles stored from this feed, ever (an article
	// also carried by another feed counts for both).
	Articles int `json:"articles"`
	// Items is how many items the feed listed at its last fetch.
	Items int `json:"items"`
}

// feedState is a feed's persisted state: its status plus what conditional
// GET and deduplication need.
type feedState struct {
	FeedStatus
	Validators
	// Seen maps the article IDs of the feed's current items to the item
	// version stored.
	Seen map[string]string `json:"seen,omitempty"`
	// retryAfter is the server's Retry-After from the last attempt; it
	// only matters for scheduling the next one, so it is not saved.
	retryAfter time.Duration
}

type stateFile struct {
	Version int          `json:"version"`
	Feeds   []*feedState `json:"feeds"`
}

const stateVersion = 1

// StateKeeper keeps the poller's state between runs: one JSON document,
// read once when the poller starts and written after each fetch.
type StateKeeper interface {
	// ReadState returns the saved document, or nil (and no error) when
	// nothing was saved yet.
	ReadState(ctx context.Context) ([]byte, error)
	// WriteState replaces the saved document atomically.
	WriteState(ctx context.Context, data []byte) error
}

// FileState keeps the state in a JSON file at the path it names; the
// empty path keeps nothing.
type FileState string

// ReadState implements StateKeeper.
func (f FileState) ReadState(context.Context) ([]byte, error) {
	if f == "" {
		return nil, nil
	}
	data, err := os.ReadFile(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read feed state: %w", err)
	}
	return data, nil
}

// WriteState implements StateKeeper: a temporary file, then rename, so a
// reader never sees half a file and a crash never leaves one.
func (f FileState) WriteState(_ context.Context, data []byte) error {
	if f == "" {
		return nil
	}
	path := string(f)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write feed state: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write feed state: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write feed state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write feed state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write feed state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write feed state: %w", err)
	}
	return nil
}

// stateTimeout bounds a state read or write: the poller saves from places
// that have no request context of their own.
const stateTimeout = 30 * time.Second

// readState reads the saved state; nothing saved is an empty state.
func readState(store StateKeeper) (map[string]*feedState, error) {
	ctx, cancel := context.WithTimeout(context.Background(), stateTimeout)
	defer cancel()
	states := map[string]*feedState{}
	data, err := store.ReadState(ctx)
	if err != nil || data == nil {
		return states, err
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("read feed state %s: %w", describeStore(store), err)
	}
	for _, st := range sf.Feeds {
		if st != nil && st.URL != "" {
			st.URL = RedactURL(st.URL) // state saved by an older newsbot may hold credentials
			states[feedKey(st.URL)] = st
		}
	}
	return states, nil
}

// describeStore names a state store in errors: the file's path, if any.
func describeStore(store StateKeeper) string {
	if f, ok := store.(FileState); ok {
		return string(f)
	}
	return "in the store"
}

// writeState saves states, sorted by URL so that the document is stable.
func writeState(store StateKeeper, states map[string]*feedState) error {
	sf := stateFile{Version: stateVersion}
	for _, st := range states {
		sf.Feeds = append(sf.Feeds, st)
	}
	slices.SortFunc(sf.Feeds, func(a, b *feedState) int { return strings.Compare(a.URL, b.URL) })
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return fmt.Errorf("encode feed state: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), stateTimeout)
	defer cancel()
	return store.WriteState(ctx, append(data, '\n'))
}

// LoadState returns the status of every feed in the state file at path,
// sorted by URL. A missing file means no feed was fetched yet: no error.
func LoadState(path string) ([]FeedStatus, error) {
	states, err := readState(FileState(path))
	if err != nil {
		return nil, err
	}
	out := make([]FeedStatus, 0, len(states))
	for _, st := range states {
		out = append(out, st.FeedStatus)
	}
	slices.SortFunc(out, func(a, b FeedStatus) int { return strings.Compare(a.URL, b.URL) })
	return out, nil
}

// Report returns one status per configured feed, in config order: its
// state saved in the file at path, or just URL and name for a feed never
// fetched.
func Report(feeds []FeedConfig, path string) ([]FeedStatus, error) {
	return ReportFrom(feeds, FileState(path))
}

// ReportFrom is Report with the state kept in store.
func ReportFrom(feeds []FeedConfig, store StateKeeper) ([]FeedStatus, error) {
	states, err := readState(store)
	if err != nil {
		return nil, err
	}
	out := make([]FeedStatus, 0, len(feeds))
	for _, fc := range feeds {
		s := FeedStatus{URL: RedactURL(fc.URL)}
		if st, ok := states[feedKey(fc.URL)]; ok {
			s = st.FeedStatus
			s.URL = RedactURL(fc.URL)
		}
		s.Name = fc.Name
		out = append(out, s)
	}
	return out, nil
}
