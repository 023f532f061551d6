package ingest

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestHTMLExtractsArticleBody(t *testing.T) {
	f, err := os.Open("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page, _ := url.Parse("https://Herald.example.com/news/bridge-reopens?utm_medium=rss#top")
	a, err := HTML(f, page)
	if err != nil {
		t.Fatal(err)
	}
	mustContainAll(t, a.Text,
		"The harbour bridge reopened to traffic on Tuesday morning",
		"million pounds, officials said.\n\nEngineers replaced",
		"“We are delighted to give the bridge back",
		"welcomed the reopening.")
	mustContainNone(t, a.Text, "NAVLINK", "ADVERT", "SIDEBAR", "FOOTER", "SCRIPT-TEXT", "color: red", "  ", "By Maria Keane")
	if a.Title != "Harbour bridge reopens after repairs" {
		t.Errorf("Title = %q", a.Title)
	}
	if a.Source != "The Coastal Herald" {
		t.Errorf("Source = %q", a.Source)
	}
	if a.Author != "Maria Keane" {
		t.Errorf("Author = %q", a.Author)
	}
	if !a.Published.Equal(date("2024-04-09T07:15:00Z")) {
		t.Errorf("Published = %v", a.Published)
	}
	if want := "https://herald.example.com/news/bridge-reopens"; a.URL != want || a.ID != want {
		t.Errorf("URL, ID = %q, %q; want %q", a.URL, a.ID, want)
	}
	if got, _ := Normalize([]byte(a.Text)); got != a.Text {
		t.Errorf("extracted text is not in normal form")
	}
}

func TestHTMLFileUsesCanonicalLink(t *testing.T) {
	data, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	arts, err := Reader("saved/page.html", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://herald.example.com/news/bridge-reopens"; arts[0].ID != want || arts[0].URL != want {
		t.Errorf("ID, URL = %q, %q; want canonical %q", arts[0].ID, arts[0].URL, want)
	}

	// Without a canonical link the file name is the ID.
	plain := strings.Replace(string(data), `<link rel="canonical"`, `<link rel="alternate"`, 1)
	arts, err = Reader("saved/page.html", strings.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if arts[0].ID != "page" || arts[0].URL != "" {
		t.Errorf("ID, URL = %q, %q; want page and empty", arts[0].ID, arts[0].URL)
	}
}

func TestHTMLCharset(t *testing.T) {
	body := "<p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s des travaux. " + strings.Repeat("Une phrase de plus sur le caf\xe9. ", 20) + "</p>"
	tests := []struct {
		name, page, contentType string
	}{
		{"meta charset", `<html><head><meta charset="windows-1252"><title>Caf</title></head><body>` + body + `</body></html>`, ""},
		{"header charset", `<html><head><title>Caf</title></head><body>` + body + `</body></html>`, "text/html; charset=ISO-8859-1"},
		{"undeclared non-UTF-8", `<html><head><title>Caf</title></head><body>` + body + `</body></html>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := HTML(strings.NewReader(tt.page), nil, WithContentType(tt.contentType))
			if err != nil {
				t.Fatal(err)
			}
			mustContainAll(t, a.Text, "Le café de la gare a rouvert ses portes après des travaux.")
		})
	}
}

func TestHTMLErrors(t *testing.T) {
	tests := []struct {
		name, page string
		opts       []HTMLOption
		err        error
	}{
		{"no text", "<html><body><div></div></body></html>", nil, ErrEmpty},
		{"empty", "", nil, ErrEmpty},
		{"binary", "<html>\x00\x01\x02</html>", nil, ErrBinary},
		{"too large", "<html><body><p>" + strings.Repeat("word ", 300) + "</p></body></html>", []HTMLOption{WithMaxBytes(1000)}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HTML(strings.NewReader(tt.page), nil, tt.opts...)
			if !errors.Is(err, tt.err) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"<p>First <b>para</b>.</p><p>Second &amp; last.</p>", "First para.\n\nSecond & last.", nil},
		{"Plain   text, no tags.", "Plain text, no tags.", nil},
		{"Line one<br>Line two", "Line one\nLine two", nil},
		{"<script>x()</script><style>p{}</style><p>Kept.</p>", "Kept.", nil},
		{"<div> </div>", "", ErrEmpty},
		{"", "", ErrEmpty},
	}
	for _, tt := range tests {
		got, err := HTMLText(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("HTMLText(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
