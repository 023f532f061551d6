package retrieval

import (
	"slices"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"simple", "One here. Two there! Three?", []string{"One here.", "Two there!", "Three?"}},
		{"us abbreviation mid-sentence", "U.S. President Donald Trump spoke. He left.", []string{"U.S. President Donald Trump spoke.", "He left."}},
		{"us abbreviation at end", "The deal favours the U.S. The talks went on.", []string{"The deal favours the U.S.", "The talks went on."}},
		{"lower case after abbreviation", "It was agreed by the U.S. officials in Rome.", []string{"It was agreed by the U.S. officials in Rome."}},
		{"titles", "Mr. Smith met Dr. Jones. Gen. Lee agreed.", []string{"Mr. Smith met Dr. Jones.", "Gen. Lee agreed."}},
		{"initials", "J. K. Rowling wrote it. Fans cheered.", []string{"J. K. Rowling wrote it.", "Fans cheered."}},
		{"decimals", "Profits rose 1.5% to $1.13bn. Shares fell.", []string{"Profits rose 1.5% to $1.13bn.", "Shares fell."}},
		{"closing quote", "“It is over,” she said. “We won.” Then silence.", []string{"“It is over,” she said.", "“We won.”", "Then silence."}},
		{"quote continues", "He said “no.” and left. Next.", []string{"He said “no.” and left.", "Next."}},
		{"newline ends", "Headline without stop\nBody starts here. More.", []string{"Headline without stop", "Body starts here.", "More."}},
		{"ellipsis", "Wait... What happened? Nothing.", []string{"Wait...", "What happened?", "Nothing."}},
		{"no punctuation", "just words", []string{"just words"}},
		{"whitespace", "  padded.   \n\n  Next one.  ", []string{"padded.", "Next one."}},
		{"empty", "", nil},
		{"domain", "Visit example.com for more. Done.", []string{"Visit example.com for more.", "Done."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tt.text) {
				got = append(got, tt.text[s.Start:s.End])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}
