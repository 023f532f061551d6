//go:build ignore

// gen builds wordnet.tsv.gz from WordNet 3.0 as Debian's wordnet-base
// installs it (/usr/share/wordnet): run `go generate ./bot/answer/lexicon`.
//
// Each output line is "stemA<TAB>stemB<TAB>kind", sorted, with stemA < stemB:
//   - kind i: an irregular form and its base ("took"/"take", "mice"/"mouse"),
//     from the *.exc files;
//   - kind d: derivationally related words ("invade"/"invasion",
//     "participate"/"participation"), from the lexical "+" pointers of the
//     data.* files.
//
// Synonyms (two words of one synset) are left out: measured as a feature of
// the answer model, they did not help (README, Answer quality).
//
// Words are stemmed by text.Stem, as bot/text's Terms stems them (Snowball
// English, words of three letters or more, not starting with a digit), so
// the table is
// looked up by the stems the bot already has. Multi-word lemmas and words
// with capitals, digits or punctuation are left out.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"newsbot/bot/text"
)

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet 3.0 dictionary `dir`")
	out := flag.String("o", "wordnet.tsv.gz", "output `file`")
	classesOut := flag.String("classes", "classes.tsv.gz", "noun classes output `file`")
	flag.Parse()
	if err := writeClasses(*dir, *classesOut); err != nil {
		log.Fatal(err)
	}
	pairs := map[[2]string]byte{}
	add := func(a, b string, kind byte) {
		if !plain(a) || !plain(b) {
			return
		}
		sa, sb := text.Stem(a), text.Stem(b)
		if sa == sb {
			return
		}
		if sb < sa {
			sa, sb = sb, sa
		}
		k := [2]string{sa, sb}
		// An irregular form outranks a derivation of the same pair.
		if old, ok := pairs[k]; !ok || rank[kind] < rank[old] {
			pairs[k] = kind
		}
	}
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		if err := readExc(filepath.Join(*dir, pos+".exc"), add); err != nil {
			log.Fatal(err)
		}
	}
	if err := readDerivations(*dir, add); err != nil {
		log.Fatal(err)
	}
	keys := make([][2]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\t"+a[1], b[0]+"\t"+b[1]) })
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	for _, k := range keys {
		fmt.Fprintf(w, "%s\t%s\t%c\n", k[0], k[1], pairs[k])
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d pairs → %s", len(keys), *out)
}

var rank = map[byte]int{'i': 0, 'd': 1}

func plain(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// readExc reads "form base..." lines: irregular inflections.
func readExc(path string, add func(a, b string, kind byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		for _, base := range fs[1:] {
			add(fs[0], base, 'i')
		}
	}
	return sc.Err()
}

// synset is the words of one data.* line.
type synset []string

// readDerivations resolves every lexical "+" pointer of the four data files
// to the pair of words it links.
func readDerivations(dir string, add func(a, b string, kind byte)) error {
	files := map[string]string{"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
	synsets := map[string]map[int64]synset{}
	type ptr struct {
		fromPos string
		from    int64
		src     int
		toPos   string
		to      int64
		dst     int
	}
	var ptrs []ptr
	for _, name := range []string{"noun", "verb", "adj", "adv"} {
		f, err := os.Open(filepath.Join(dir, "data."+name))
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		pos := name
		synsets[pos] = map[int64]synset{}
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "  ") {
				continue // license header
			}
			fs := strings.Fields(strings.SplitN(line, " | ", 2)[0])
			off, _ := strconv.ParseInt(fs[0], 10, 64)
			n, _ := strconv.ParseInt(fs[3], 16, 64)
			var words synset
			i := 4
			for range n {
				words = append(words, strings.ToLower(fs[i]))
				i += 2
			}
			synsets[pos][off] = words
			np, _ := strconv.Atoi(fs[i])
			i++
			for range np {
				sym, to, tpos, st := fs[i], fs[i+1], fs[i+2], fs[i+3]
				i += 4
				if sym != "+" {
					continue
				}
				toOff, _ := strconv.ParseInt(to, 10, 64)
				src, _ := strconv.ParseInt(st[:2], 16, 64)
				dst, _ := strconv.ParseInt(st[2:], 16, 64)
				tp := files[tpos]
				ptrs = append(ptrs, ptr{pos, off, int(src), tp, toOff, int(dst)})
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	for _, p := range ptrs {
		a, b := synsets[p.fromPos][p.from], synsets[p.toPos][p.to]
		if p.src < 1 || p.src > len(a) || p.dst < 1 || p.dst > len(b) {
			continue
		}
		add(a[p.src-1], b[p.dst-1], 'd')
	}
	return nil
}

// writeClasses writes "word<TAB>classes" lines, sorted, for the plain
// one-word nouns of WordNet's lexicographer files noun.person (18) and
// noun.location (15): class p or l for a common noun ("sculptor",
// "city"), P or L for a name ("Einstein", "Cumbria"); the word is lower
// case, its classes sorted.
func writeClasses(dir, out string) error {
	f, err := os.Open(filepath.Join(dir, "data.noun"))
	if err != nil {
		return err
	}
	defer f.Close()
	classes := map[string]map[rune]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // the license header
		}
		fs := strings.Fields(line)
		if len(fs) < 4 {
			continue
		}
		var c rune
		switch fs[1] {
		case "18":
			c = 'p'
		case "15":
			c = 'l'
		default:
			continue
		}
		n, err := strconv.ParseInt(fs[3], 16, 32)
		if err != nil {
			return fmt.Errorf("data.noun: %q: %w", line, err)
		}
		for i := 0; i < int(n) && 4+2*i < len(fs); i++ {
			w := fs[4+2*i]
			if !letters(w) {
				continue
			}
			k := c
			if w[0] >= 'A' && w[0] <= 'Z' {
				k -= 'a' - 'A'
			}
			lw := strings.ToLower(w)
			if classes[lw] == nil {
				classes[lw] = map[rune]bool{}
			}
			classes[lw][k] = true
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	words := make([]string, 0, len(classes))
	for w := range classes {
		words = append(words, w)
	}
	slices.Sort(words)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(o, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	for _, w := range words {
		var cs []rune
		for c := range classes[w] {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		fmt.Fprintf(bw, "%s\t%s\n", w, string(cs))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("%d nouns → %s", len(words), out)
	return o.Close()
}

// letters reports whether w is ASCII letters only.
func letters(w string) bool {
	for i := 0; i < len(w); i++ {
		if b := w[i] | 0x20; b < 'a' || b > 'z' {
			return false
		}
	}
	return w != ""
}
