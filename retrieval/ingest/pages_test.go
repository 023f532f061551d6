package ingest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
)

// page is a test page built to look like a real one (navigation, cookie
// banner, byline, captions, ads, newsletter box, related links, comments,
// footer) with the article's paragraphs in NAME.want.
type page struct {
	name, html string
	want       []string
}

func loadPages(t testing.TB) []page {
	t.Helper()
	files, err := filepath.Glob("testdata/pages/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test pages: %v", err)
	}
	var out []page
	for _, f := range files {
		h, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".want")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page{name: filepath.Base(f), html: string(h), want: strings.Split(strings.TrimSpace(string(w)), "\n\n")})
	}
	return out
}

// score measures extracted text against the article: boilerplate is the
// characters (not counting white space) left after removing the article's
// sentences and its title; lost is the characters of article sentences
// missing from it.
func score(text, title string, want []string) (boilerplate, lost int) {
	got := oneLine(text)
	rest := got
	for _, p := range want {
		for _, s := range splitSentences(oneLine(p)) {
			if strings.Contains(got, s) {
				rest = strings.Replace(rest, s, "", 1)
			} else {
				lost += len([]rune(s))
			}
		}
	}
	if title != "" {
		rest = strings.Replace(rest, title, "", 1)
	}
	for _, r := range rest {
		if !unicode.IsSpace(r) {
			boilerplate++
		}
	}
	return boilerplate, lost
}

// splitSentences cuts at ". " (enough for the test pages' sentences).
func splitSentences(p string) []string {
	var out []string
	for {
		i := strings.Index(p, ". ")
		if i < 0 {
			return append(out, p)
		}
		out = append(out, p[:i+1])
		p = p[i+2:]
	}
}

func withReadability(doc *html.Node) string {
	parser := readability.NewParser()
	a, err := parser.ParseAndMutate(doc, nil)
	if err != nil || a.Node == nil {
		return ""
	}
	return render.InnerText(a.Node)
}

// TestExtractorComparison (class 4) compares go-readability alone with
// the text HTML stores (go-readability after newsbot's removal of page
// furniture, and its clean-up of labels and promos) on the test pages, and
// checks that the stored text has every article sentence and no
// boilerplate. Run with -v for the table the README reports.
func TestExtractorComparison(t *testing.T) {
	pages := loadPages(t)
	type total struct{ boiler, lost int }
	var totals [2]total
	var table strings.Builder
	table.WriteString("| page | go-readability kept / lost | HTML (stored text) kept / lost |\n|---|---|---|\n")
	for _, p := range pages {
		a, err := HTML(strings.NewReader(p.html), nil)
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		doc, err := html.Parse(strings.NewReader(p.html))
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{withReadability(doc), a.Text}
		fmt.Fprintf(&table, "| %s |", p.name)
		for i, text := range texts {
			b, l := score(text, a.Title, p.want)
			totals[i].boiler += b
			totals[i].lost += l
			fmt.Fprintf(&table, " %d / %d |", b, l)
		}
		table.WriteString("\n")
		if b, l := score(a.Text, a.Title, p.want); b != 0 || l != 0 {
			t.Errorf("%s: stored text keeps %d boilerplate characters and loses %d article characters:\n%s", p.name, b, l, a.Text)
		}
	}
	fmt.Fprintf(&table, "| total |")
	for _, tt := range totals {
		fmt.Fprintf(&table, " %d / %d |", tt.boiler, tt.lost)
	}
	t.Logf("characters of boilerplate kept / article characters lost:\n%s", table.String())
}

// TestPageMetadata (classes 3, 5, 6): the date from the markup, the
// canonical URL wherever it is, the source from og:site_name, JSON-LD or
// the host, and a byline without dates.
func TestPageMetadata(t *testing.T) {
	tests := []struct {
		page, published, url, source, author string
	}{
		{"harbour.html", "2025-04-21T07:15:00Z", "https://coastalherald.example/news/harbour-wall-rebuilt", "The Coastal Herald", "Sam Reid"},
		{"cafe.html", "2025-05-03T00:00:00Z", "", "", "Lena Fox"},
		{"ferry.html", "2025-04-24T10:30:00Z", "https://portlanddaily.example/2025/04/ferry-strike", "Portland Daily", "Dana Cole"},
		{"wheat.html", "2025-08-06T00:00:00Z", "", "Grain Wire", "Oleh Marchenko"},
		{"solar.html", "2025-06-10T00:00:00Z", "", "", "Ruth Akers"},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("testdata/pages", tt.page))
		if err != nil {
			t.Fatal(err)
		}
		arts, err := Reader(tt.page, bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", tt.page, err)
			continue
		}
		a := arts[0]
		if got := a.Published.Format("2006-01-02T15:04:05Z07:00"); a.Published.IsZero() || got != tt.published {
			t.Errorf("%s: published %v, want %s", tt.page, a.Published, tt.published)
		}
		if a.URL != tt.url || a.Source != tt.source || a.Author != tt.author {
			t.Errorf("%s: url %q source %q author %q; want %q %q %q", tt.page, a.URL, a.Source, a.Author, tt.url, tt.source, tt.author)
		}
	}
}

// TestNavigationOnlyPage (class 7): a page of links alone is refused, not
// stored as "Home".
func TestNavigationOnlyPage(t *testing.T) {
	for _, pg := range []string{
		`<html><body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></body></html>`,
		`<html><head><title>Site</title></head><body><header><a href="/">Home</a></header><div role="navigation"><ul><li><a href="/a">About</a></li></ul></div><footer>© 2025 Example</footer></body></html>`,
	} {
		a, err := HTML(strings.NewReader(pg), nil)
		if err == nil || !strings.Contains(err.Error(), "no article text") {
			t.Errorf("navigation-only page stored as %+v (err %v)", a, err)
		}
	}
}

// TestPageEncoding (classes 1 and 2): the browser's order of BOM, HTTP
// header and <meta> anywhere in the head; undeclared valid UTF-8 is UTF-8;
// a wrong legacy declaration over valid UTF-8 does not make mojibake.
func TestPageEncoding(t *testing.T) {
	const text = "Rock’n’roll café — 5 €. The café reopened on Saturday after a long restoration, its owner said."
	body := "<body><article><p>" + text + "</p><p>" + strings.Repeat("The queue stretched along the street for most of the morning. ", 3) + "</p></article></body></html>"
	longScript := "<script>" + strings.Repeat("var x = 1; ", 400) + "</script>"
	latin1 := "<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s des travaux, a dit le maire.</p></article></body></html>"
	tests := []struct {
		name, page, contentType, want string
	}{
		{"meta after a 4 KB script", "<html><head>" + longScript + `<meta charset="utf-8"><title>Café</title></head>` + body, "", text},
		{"no declaration, valid UTF-8", "<html><head><title>Café</title></head>" + body, "", text},
		{"header without charset", "<html><head><title>Café</title></head>" + body, "text/html", text},
		{"http-equiv after a script", "<html><head>" + longScript + `<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>` + body, "", text},
		{"gb2312 declared over UTF-8", `<html><head><meta charset="gb2312"></head>` + body, "", text},
		{"windows-1252 header over UTF-8", "<html><head></head>" + body, "text/html; charset=windows-1252", text},
		{"BOM wins over the header", "\xef\xbb\xbf<html><head></head>" + body, "text/html; charset=iso-8859-1", text},
		{"real Latin-1 still decodes", latin1, "", "Le café de la gare a rouvert ses portes après des travaux"},
		{"header outranks meta", strings.Replace(latin1, "iso-8859-1", "utf-8", 1), "text/html; charset=iso-8859-1", "Le café de la gare a rouvert ses portes après des travaux"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := HTML(strings.NewReader(tt.page), nil, WithContentType(tt.contentType))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, tt.want) || strings.Contains(a.Text, "\uFFFD") || strings.Contains(a.Text, "â€") {
				t.Errorf("text %q, want it to hold %q without mojibake", a.Text, tt.want)
			}
		})
	}
	// The override is reported.
	arts, err := Reader("p.html", strings.NewReader(`<html><head><meta charset="gb2312"></head>`+body))
	le, ok := Partial(err)
	if len(arts) != 1 || !ok || !strings.Contains(le.Error(), "valid UTF-8") {
		t.Errorf("gb2312 over UTF-8: want a warning, got %v", err)
	}
}

// TestBylineAndSource (class 6): byline junk is cleaned or dropped; the
// source falls back to the canonical URL's host.
func TestBylineAndSource(t *testing.T) {
	for in, want := range map[string]string{
		"By Ana Lima":                     "Ana Lima",
		"Ana Lima, 21 April 2025":         "Ana Lima",
		"By Ana Lima | Updated 10:32 BST": "Ana Lima",
		"21 April 2025":                   "",
		"12345":                           "",
		"Ana Lima and Tom Hart":           "Ana Lima, Tom Hart",
		"Published: Monday":               "",
	} {
		if got := cleanByline(in); got != want {
			t.Errorf("cleanByline(%q) = %q, want %q", in, got, want)
		}
	}
	pg := `<html><head><title>Dam opens</title><div class="ad"></div><link rel="canonical" href="https://www.riverpost.example/news/dam"><meta name="author" content="2024-03-01"></head>` +
		`<body><article><p>The new Kariba dam opened on Monday after six years of work, the energy ministry said.</p><p>Engineers said it would power two million homes across the region.</p></article></body></html>`
	arts, err := Reader("dam.html", strings.NewReader(pg))
	if err != nil {
		t.Fatal(err)
	}
	if a := arts[0]; a.Source != "riverpost.example" || a.URL != "https://www.riverpost.example/news/dam" || a.Author != "" {
		t.Errorf("source %q url %q author %q", a.Source, a.URL, a.Author)
	}
}

// BenchmarkExtract times the stored-text path (HTML) against go-readability
// alone on the test pages.
func BenchmarkExtract(b *testing.B) {
	pages := loadPages(b)
	b.Run("HTML", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := pages[i%len(pages)]
			if _, err := HTML(strings.NewReader(p.html), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("readability", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			doc, err := html.Parse(strings.NewReader(pages[i%len(pages)].html))
			if err != nil {
				b.Fatal(err)
			}
			withReadability(doc)
		}
	})
}

// TestHugePage: a page of 10,000 paragraphs is extracted whole,
// navigation and footer dropped.
func TestHugePage(t *testing.T) {
	pg := `<html><head><title>Long list</title></head><body><nav><a href="/">Home NAVLINK</a></nav><article>` +
		strings.Repeat("<p>Another paragraph of the very long council minutes was read out.</p>", 10000) +
		`</article><footer>FOOTER</footer></body></html>`
	a, err := HTML(strings.NewReader(pg), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(a.Text, "Another paragraph of the very long council minutes was read out."); n != 10000 || strings.Contains(a.Text, "NAVLINK") || strings.Contains(a.Text, "FOOTER") {
		t.Errorf("%d paragraphs kept, want %d, without navigation and footer", n, 10000)
	}
}
