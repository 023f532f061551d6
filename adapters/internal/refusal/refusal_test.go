package refusal

import (
	"strings"
	"testing"
	"unicode/utf8"

	"newsbot/bot"
)

func TestRender(t *testing.T) {
	upper := Format{
		Escape: strings.ToUpper,
		Item: func(c bot.Citation, link bool) string {
			if link && c.URL != "" {
				return "[" + c.Title + "](" + c.URL + ")"
			}
			return c.Title
		},
		Len: utf8.RuneCountInString,
	}
	long := bot.Citation{Title: "Long", URL: strings.Repeat("u", 40)}
	short := bot.Citation{Title: "S", URL: "u"}
	lead := strings.ToUpper(bot.NoAnswer + " " + bot.ClosestLead)
	base := utf8.RuneCountInString(lead)
	tests := []struct {
		name    string
		closest []bot.Citation
		limit   int // added to the length of the lead; -1: no limit
		want    string
	}{
		{"no closest", nil, 0, strings.ToUpper(bot.NoAnswer)},
		{"no limit", []bot.Citation{long, short}, -1, lead + "[Long](" + long.URL + "); [S](u)"},
		{"all fit", []bot.Citation{short, short}, 100, lead + "[S](u); [S](u)"},
		{"link left out to fit", []bot.Citation{long, short}, 20, lead + "Long; [S](u)"},
		{"the rest left out after one that does not fit", []bot.Citation{short, long, short}, 8, lead + "[S](u)"},
		{"nothing fits", []bot.Citation{long}, 2, strings.ToUpper(bot.NoAnswer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := upper
			if tt.limit < 0 {
				f.Len = nil
			} else {
				f.Limit = base + tt.limit
			}
			got := Render(tt.closest, f)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if f.Len != nil && f.Len(got) > f.Limit {
				t.Errorf("%d long, over the limit %d", f.Len(got), f.Limit)
			}
		})
	}
}
