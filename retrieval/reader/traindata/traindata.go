// Package traindata holds the questions this project wrote to train its
// reader, and the checks every row must pass. The rows name BBC articles of
// ../shared/eval/bbc/news_corpus.jsonl by id and their gold sentences by byte
// offsets into the article's "text" field; the article text itself is never
// stored here (its rights stay with the BBC).
package traindata

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Types are the nine question types, balanced across the data.
var Types = []string{"who", "what", "when", "where", "why", "how-many", "said", "yes-no", "which"}

// Row is one training question. An answerable row names its gold sentence
// (Start, End: byte offsets into the article text) and the short answers
// (each an exact substring of that sentence). An unanswerable row has
// Unanswerable set: a near miss names the article whose people and topic it
// borrows (DocID), an off-topic chat question has no DocID.
type Row struct {
	ID           string   `json:"id"`
	DocID        string   `json:"doc_id"`
	Question     string   `json:"question"`
	Type         string   `json:"type,omitempty"`
	Main         bool     `json:"main,omitempty"` // asks the story's main fact (its headline or lead)
	Start        int      `json:"start,omitempty"`
	End          int      `json:"end,omitempty"`
	Answers      []string `json:"answers,omitempty"`
	Unanswerable bool     `json:"unanswerable,omitempty"`
	Kind         string   `json:"kind,omitempty"` // "near" or "chat", for unanswerable rows
}

// Article is one article of the BBC corpus.
type Article struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Category string `json:"category"`
}

// Fold assigns an article (or, for a question with no article, its row
// id) to one of ten folds by a hash of the id. The reader's trainer holds
// out one fold for validation, and eval can measure on it.
func Fold(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % 10)
}

// LoadRows reads every *.jsonl file in dir, in name order.
func LoadRows(dir string) ([]Row, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var rows []Row
	for _, f := range files {
		rs, err := ReadRows(f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// ReadRows reads one JSON Lines file of rows.
func ReadRows(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []Row
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r Row
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

// LoadCorpus reads the BBC corpus (JSON Lines of Article) keyed by id.
func LoadCorpus(path string) (map[string]*Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*Article{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4<<20), 4<<20)
	for sc.Scan() {
		var a Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[a.ID] = &a
	}
	return out, sc.Err()
}

// LoadIDs reads a file of ids, one a line.
func LoadIDs(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, l := range strings.Fields(string(b)) {
		out[l] = true
	}
	return out, nil
}
