package ingest

import (
	"errors"
	"strings"
	"testing"

	"newsbot/bot"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    bot.Article
		err     error
	}{
		{
			name: "YAML front matter",
			content: "---\ntitle: \"Storm: the aftermath\"\nsource: 'Daily ''News'''\ndate: 2024-01-02\n" +
				"url: https://example.org/storm#x\nauthor: Kim Lo # staff\ntags:\n  - weather\n---\n\nThe storm passed.\n",
			want: bot.Article{ID: "https://example.org/storm", Title: "Storm: the aftermath", Source: "Daily 'News'",
				URL: "https://example.org/storm", Author: "Kim Lo", Published: date("2024-01-02T00:00:00Z"),
				Text: "The storm passed."},
		},
		{
			name: "TOML front matter",
			content: "+++\ntitle = \"Budget passes\"\nsource = \"Wire\"\ndate = 2024-05-06T07:08:09+02:00\n" +
				"author = [\"A One\", \"B Two\"]\nid = \"budget-1\"\n+++\nParliament voted.",
			want: bot.Article{ID: "budget-1", Title: "Budget passes", Source: "Wire", Author: "A One, B Two",
				Published: date("2024-05-06T05:08:09Z"), Text: "Parliament voted."},
		},
		{
			name:    "TOML local date is UTC",
			content: "+++\npublished = 2024-05-06\n+++\nText here.",
			want:    bot.Article{ID: "note", Title: "Text here.", Published: date("2024-05-06T00:00:00Z"), Text: "Text here."},
		},
		{
			name:    "leading H1 is the title",
			content: "# Council *approves* plan #\n\nThe council approved it.",
			want:    bot.Article{ID: "note", Title: "Council approves plan", Text: "The council approved it."},
		},
		{
			name:    "unclosed fence is body, not front matter",
			content: "---\nFirst line of text.",
			want:    bot.Article{ID: "note", Title: "First line of text.", Text: "First line of text."},
		},
		{name: "bad TOML", content: "+++\ntitle = \n+++\nBody.", err: errors.New("line 2: TOML front matter")},
		// Class 10: broken YAML names the line; nothing is stored.
		{name: "unclosed YAML quote", content: "---\nsource: Wire\ntitle: \"Unclosed\n---\nBody.", err: errors.New("note.md: line 3: YAML front matter")},
		{name: "unclosed YAML list", content: "---\ntitle: Fine\nsource: [x\n---\nBody.", err: errors.New("note.md: line 2: YAML front matter")}, // yaml.v3 names the mapping's line
		{name: "unclosed YAML fence", content: "---\ntitle: Fine\nsource: Wire\n\nBody text follows.", err: errors.New(`note.md: line 1: front matter fence "---" is never closed`)},
		{name: "unclosed TOML fence", content: "+++\ntitle = \"Fine\"\nBody.", err: errors.New("never closed")},
		{name: "front matter only", content: "---\ntitle: x\n---\n", err: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Reader("note.md", strings.NewReader(tt.content))
			if tt.err != nil {
				if err == nil || !(errors.Is(err, tt.err) || strings.Contains(err.Error(), tt.err.Error())) {
					t.Fatalf("got %v, %v; want error %v", arts, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkArticles(t, arts, []bot.Article{tt.want})
		})
	}
}

func TestStripMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"headings are marked paragraphs", "## Background ##\nText.", "## Background\n\nText."},
		{"setext underline", "Title\n=====\nText.", "# Title\n\nText."},
		{"links", "See [the report](https://x.org/r \"t\") and [this][ref].\n\n[ref]: https://x.org", "See the report and this."},
		{"images dropped", "Before ![a chart](c.png) after.", "Before  after."},
		{"autolinks", "Mail <https://x.org/a> now.", "Mail https://x.org/a now."},
		{"emphasis", "A **bold** and *it* and __b__ and _i_ and ~~gone~~ word.", "A bold and it and b and i and gone word."},
		{"adjacent emphasis", "*a* *b* _c_ _d_", "a b c d"},
		{"snake_case and arithmetic kept", "Use snake_case_name; 2*3*4 = 24.", "Use snake_case_name; 2*3*4 = 24."},
		{"escapes", `Price \*not\* bold, \[x\]`, "Price *not* bold, [x]"},
		{"code span untouched", "Run `a_b*c*` now.", "Run a_b*c* now."},
		{"code fence keeps code", "```go\nx := *p\n```\nAfter.", "x := *p\nAfter."},
		{"block quotes", "> Quoted line.\n> > Nested.", "Quoted line.\nNested."},
		{"bullets", "- one\n* two\n+ three\n1. four", "one\ntwo\nthree\n1. four"},
		{"thematic break", "A.\n\n* * *\n\nB.", "A.\n\nB."},
		{"html comment", "A <!-- hidden --> B.", "A  B."},
		{"non-ASCII emphasis", "Die *Straße* ist _grün_.", "Die Straße ist grün."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripMarkdown(tt.in); got != tt.want {
				t.Errorf("stripMarkdown(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}
