package ingest

import (
	"errors"
	"strings"
	"testing"

	"newsbot/bot"
)

func TestText(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		want     bot.Article
		warnings int
		err      error
	}{
		{
			name: "all headers, any case and order",
			content: "published: 2024-03-05T10:00:00Z\nTITLE: Rates held\nSource: Example Times\n" +
				"Url: https://Example.org/rates?utm_source=x\nAuthor: Ann Lee\n\nThe bank held rates.\nIt said so.\n",
			want: bot.Article{ID: "https://example.org/rates", Title: "Rates held", Source: "Example Times",
				URL: "https://example.org/rates", Author: "Ann Lee", Published: date("2024-03-05T10:00:00Z"),
				Text: "The bank held rates.\nIt said so."},
		},
		{
			name:    "no headers: first sentence is the title, file name the ID",
			content: "The bank held rates on Tuesday. Markets rose.\r\n\r\n\r\n\r\nMore later.  \r\n",
			want: bot.Article{ID: "story", Title: "The bank held rates on Tuesday.",
				Text: "The bank held rates on Tuesday. Markets rose.\n\nMore later."},
		},
		{
			name:    "headers without blank line, explicit id",
			content: "ID: abc-1\nTitle: T\nBody starts here.",
			want:    bot.Article{ID: "abc-1", Title: "T", Text: "Body starts here."},
		},
		{
			name:    "a non-header line ends the headers",
			content: "Title: T\nNote: this is body text.\nSource: also body",
			want:    bot.Article{ID: "story", Title: "T", Text: "Note: this is body text.\nSource: also body"},
		},
		{
			name:     "bad date and bad URL are warnings, article kept",
			content:  "Title: T\nPublished: last Tuesday\nURL: ftp://x.org/a\n\nBody.",
			want:     bot.Article{ID: "story", Title: "T", Text: "Body."},
			warnings: 2,
		},
		{name: "headers only", content: "Title: T\nSource: S\n\n", err: ErrEmpty},
		{name: "empty", content: "", err: ErrEmpty},
		{name: "blank", content: "\n\n  \n", err: ErrEmpty},
		{name: "binary", content: "GIF89a\x00\x01\x02", err: ErrBinary},
		{name: "latin-1", content: "Caf\xe9 au lait.", err: ErrNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Reader("dir/story.txt", strings.NewReader(tt.content))
			if tt.err != nil {
				if !errors.Is(err, tt.err) || arts != nil {
					t.Fatalf("got %v, %v; want error %v", arts, err, tt.err)
				}
				if !strings.HasPrefix(err.Error(), "dir/story.txt: ") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if tt.warnings > 0 {
				le, ok := Partial(err)
				if !ok || len(le.Errs) != tt.warnings || le.Skipped() != 0 {
					t.Fatalf("got error %v, want %d warnings", err, tt.warnings)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			checkArticles(t, arts, []bot.Article{tt.want})
		})
	}
}
