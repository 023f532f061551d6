// Command qa is the writers' tool for the reader's training questions: it
// shows an article's sentences numbered as newsbot splits them, searches the
// whole corpus (to check that a near miss is answered nowhere), turns a
// writer's draft into checked rows with byte offsets, and counts what a file
// holds. Run from the repository root:
//
//	go run ./retrieval/reader/traindata/qa show bbc-business-002
//	go run ./retrieval/reader/traindata/qa search "employ" "Yukos"
//	go run ./retrieval/reader/traindata/qa add --prefix w1 drafts/w1.jsonl retrieval/reader/traindata/w1.jsonl
//	go run ./retrieval/reader/traindata/qa stats retrieval/reader/traindata/*.jsonl
//	go run ./retrieval/reader/traindata/qa evalset --fold 0 /tmp/heldout
//
// evalset writes the rows of one fold — the articles the reader's trainer
// holds out for validation — as questions.jsonl and unanswerable.jsonl in
// the format of newsbot eval, so the answer model can be measured (and
// fitted) on questions in this style that the reader never saw.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"newsbot/bot/text"
	"newsbot/retrieval/reader/traindata"
)

const usage = `usage: qa [--shared DIR] show ID... | search WORD... | add --prefix P DRAFT OUT | stats FILE... | evalset [--fold N] DIR

A draft is JSON Lines, one question a line:
  {"doc":"bbc-tech-010","q":"Who makes the handset?","type":"which","main":false,"sent":3,"a":["Nokia"]}
  {"doc":"bbc-tech-010","q":"How many staff does Nokia have?","un":"near"}
  {"q":"what's a good pasta recipe","un":"chat"}
"sent" is the sentence number that "show" prints; "a" are exact substrings of that sentence.`

func main() {
	shared := flag.String("shared", "../shared", "the shared folder")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, usage) }
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	corpus, err := traindata.LoadCorpus(filepath.Join(*shared, "eval/bbc/news_corpus.jsonl"))
	fail(err)
	allowed, err := traindata.LoadIDs(filepath.Join(*shared, "eval/news/train_articles.txt"))
	fail(err)
	switch args[0] {
	case "show":
		for _, id := range args[1:] {
			show(corpus, allowed, id)
		}
	case "search":
		search(corpus, allowed, args[1:])
	case "add":
		fs := flag.NewFlagSet("add", flag.ExitOnError)
		prefix := fs.String("prefix", "", "id prefix of this writer's rows")
		fs.Parse(args[1:])
		if *prefix == "" || fs.NArg() != 2 {
			flag.Usage()
			os.Exit(2)
		}
		add(corpus, allowed, *prefix, fs.Arg(0), fs.Arg(1))
	case "stats":
		stats(corpus, args[1:])
	case "evalset":
		fs := flag.NewFlagSet("evalset", flag.ExitOnError)
		fold := fs.Int("fold", 0, "the fold (0-9) the reader's trainer holds out")
		data := fs.String("data", "retrieval/reader/traindata", "folder of training rows")
		fs.Parse(args[1:])
		if fs.NArg() != 1 {
			flag.Usage()
			os.Exit(2)
		}
		evalset(*data, *fold, fs.Arg(0))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "qa:", err)
		os.Exit(1)
	}
}

func show(corpus map[string]*traindata.Article, allowed map[string]bool, id string) {
	a := corpus[id]
	if a == nil {
		fmt.Printf("%s: no such article\n", id)
		return
	}
	note := ""
	if !allowed[id] {
		note = "   ** NOT IN train_articles.txt: write nothing about it **"
	}
	fmt.Printf("== %s [%s] %s%s\n", a.ID, a.Category, a.Title, note)
	for i, s := range text.Sentences(a.Text) {
		fmt.Printf("%3d  %s\n", i, a.Text[s.Start:s.End])
	}
	fmt.Println()
}

func search(corpus map[string]*traindata.Article, allowed map[string]bool, terms []string) {
	ids := make([]string, 0, len(corpus))
	for id := range corpus {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	n := 0
	for _, id := range ids {
		a := corpus[id]
		low := strings.ToLower(a.Title + "\n" + a.Text)
		ok := true
		for _, t := range terms {
			if !strings.Contains(low, strings.ToLower(t)) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		n++
		fmt.Printf("== %s %s\n", a.ID, a.Title)
		for _, s := range text.Sentences(a.Text) {
			sent := a.Text[s.Start:s.End]
			for _, t := range terms {
				if strings.Contains(strings.ToLower(sent), strings.ToLower(t)) {
					fmt.Printf("     %s\n", sent)
					break
				}
			}
		}
	}
	fmt.Printf("%d articles contain all of %q\n", n, terms)
}

type draft struct {
	Doc  string   `json:"doc"`
	Q    string   `json:"q"`
	Type string   `json:"type"`
	Main bool     `json:"main"`
	Sent *int     `json:"sent"`
	A    []string `json:"a"`
	Un   string   `json:"un"`
}

func add(corpus map[string]*traindata.Article, allowed map[string]bool, prefix, in, out string) {
	f, err := os.Open(in)
	fail(err)
	defer f.Close()
	var rows []traindata.Row
	bad := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var d draft
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			fmt.Printf("%s:%d: %v\n", in, n, err)
			bad++
			continue
		}
		r := traindata.Row{ID: fmt.Sprintf("%s-%04d", prefix, len(rows)+1), DocID: d.Doc, Question: d.Q}
		if d.Un != "" {
			r.Unanswerable, r.Kind = true, d.Un
		} else {
			r.Type, r.Main, r.Answers = d.Type, d.Main, d.A
			a := corpus[d.Doc]
			if a == nil || d.Sent == nil {
				fmt.Printf("%s:%d: needs a known \"doc\" and a \"sent\"\n", in, n)
				bad++
				continue
			}
			spans := text.Sentences(a.Text)
			if *d.Sent < 0 || *d.Sent >= len(spans) {
				fmt.Printf("%s:%d: sentence %d out of range (0-%d)\n", in, n, *d.Sent, len(spans)-1)
				bad++
				continue
			}
			r.Start, r.End = spans[*d.Sent].Start, spans[*d.Sent].End
		}
		if errs := traindata.Check(r, corpus, allowed); len(errs) > 0 {
			for _, e := range errs {
				fmt.Printf("%s:%d: %v\n", in, n, e)
			}
			bad++
			continue
		}
		rows = append(rows, r)
	}
	fail(sc.Err())
	var b strings.Builder
	for _, r := range rows {
		j, err := json.Marshal(r)
		fail(err)
		b.Write(j)
		b.WriteByte('\n')
	}
	fail(os.WriteFile(out, []byte(b.String()), 0o644))
	fmt.Printf("%s: %d rows written, %d draft lines rejected\n", out, len(rows), bad)
	if bad > 0 {
		os.Exit(1)
	}
}

func stats(corpus map[string]*traindata.Article, files []string) {
	var rows []traindata.Row
	for _, f := range files {
		rs, err := traindata.ReadRows(f)
		fail(err)
		rows = append(rows, rs...)
	}
	byType := map[string]int{}
	var ans, main, low, near, chat int
	docs := map[string]bool{}
	for _, r := range rows {
		docs[r.DocID] = true
		if r.Unanswerable {
			if r.Kind == "chat" {
				chat++
			} else {
				near++
			}
			continue
		}
		ans++
		byType[r.Type]++
		if r.Main {
			main++
		}
		if a := corpus[r.DocID]; a != nil && r.End <= len(a.Text) {
			if traindata.SharedContent(r.Question, a.Text[r.Start:r.End]) <= 1 {
				low++
			}
		}
	}
	fmt.Printf("answerable %d (main fact %d = %.0f%%; sharing at most one content word %d = %.0f%%), unanswerable %d near + %d chat, %d articles\n",
		ans, main, pct(main, ans), low, pct(low, ans), near, chat, len(docs))
	for _, t := range traindata.Types {
		fmt.Printf("  %-9s %5d  %4.1f%%\n", t, byType[t], pct(byType[t], ans))
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func evalset(dir string, fold int, out string) {
	rows, err := traindata.LoadRows(dir)
	fail(err)
	fail(os.MkdirAll(out, 0o755))
	var qs, un strings.Builder
	var nq, nu int
	for _, r := range rows {
		key := r.DocID
		if key == "" {
			key = r.ID
		}
		if traindata.Fold(key) != fold {
			continue
		}
		var v any
		if r.Unanswerable {
			v = map[string]string{"id": r.ID, "question": r.Question, "near_doc": r.DocID}
			j, err := json.Marshal(v)
			fail(err)
			un.Write(j)
			un.WriteByte('\n')
			nu++
			continue
		}
		v = map[string]any{"id": r.ID, "question": r.Question, "answers": r.Answers, "doc_id": r.DocID, "type": r.Type}
		j, err := json.Marshal(v)
		fail(err)
		qs.Write(j)
		qs.WriteByte('\n')
		nq++
	}
	fail(os.WriteFile(filepath.Join(out, "questions.jsonl"), []byte(qs.String()), 0o644))
	fail(os.WriteFile(filepath.Join(out, "unanswerable.jsonl"), []byte(un.String()), 0o644))
	fmt.Printf("%s: %d answerable, %d unanswerable questions of fold %d\n", out, nq, nu, fold)
}
