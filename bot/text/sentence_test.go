package text

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
		// Class 8: the next word's case and the abbreviation's usual place.
		{"p.m. before a day", "Workers walked out of the talks at 9 p.m. Friday after the employers left. Talks resume.", []string{"Workers walked out of the talks at 9 p.m. Friday after the employers left.", "Talks resume."}},
		{"a.m. ends a sentence", "The polls opened at 10 a.m. Officials said turnout was high.", []string{"The polls opened at 10 a.m.", "Officials said turnout was high."}},
		{"e.g. mid-sentence", "Prices rose in nearby markets, e.g. Belgium and the Netherlands, in May.", []string{"Prices rose in nearby markets, e.g. Belgium and the Netherlands, in May."}},
		{"i.e. mid-sentence", "The fund, i.e. The Harbour Trust, paid.", []string{"The fund, i.e. The Harbour Trust, paid."}},
		{"Inc. ends a sentence", "The port was bought by Harrow Logistics Inc. The company said jobs were safe.", []string{"The port was bought by Harrow Logistics Inc.", "The company said jobs were safe."}},
		{"Inc. before a title", "Acme Inc. Chief Executive Jo Bell resigned.", []string{"Acme Inc. Chief Executive Jo Bell resigned."}},
		{"etc. ends a sentence", "They sold apples, pears etc. Prices fell.", []string{"They sold apples, pears etc.", "Prices fell."}},
		{"single letter that is not an initial", "The shirt only came in size S. Customers complained.", []string{"The shirt only came in size S.", "Customers complained."}},
		{"initial after by", "The report was written by J. Smith last year.", []string{"The report was written by J. Smith last year."}},
		{"initial after a lower-case word, before a name", "It was named after the millionaire M. Theo Kearney of Fresno.", []string{"It was named after the millionaire M. Theo Kearney of Fresno."}},
		{"initial before a speaker", "Xbox frontman J. Allard said the console was fast.", []string{"Xbox frontman J. Allard said the console was fast."}},
		{"initials after a lower-case word", "Theorists such as J. A. Hobson wrote on it.", []string{"Theorists such as J. A. Hobson wrote on it."}},
		{"middle initial", "George W. Bush spoke.", []string{"George W. Bush spoke."}},
		{"title before a name", "They met Dr. The Reverend Green.", []string{"They met Dr. The Reverend Green."}},
		// Class 9: hard-wrapped paragraphs are decided, not rewritten.
		{"hard-wrapped paragraph", "The council voted seven to two on Tuesday to build a new\nlibrary on the site of the old bus depot. Work starts in\nMarch and will take two years, the council said.\n\nNext paragraph.",
			[]string{"The council voted seven to two on Tuesday to build a new\nlibrary on the site of the old bus depot.", "Work starts in\nMarch and will take two years, the council said.", "Next paragraph."}},
		{"one sentence per line is not wrapped", "The council voted seven to two on Tuesday to build a library.\nWork starts in March and will take two years to finish.\nThe mayor was pleased.",
			[]string{"The council voted seven to two on Tuesday to build a library.", "Work starts in March and will take two years to finish.", "The mayor was pleased."}},
		{"list items stay apart", "They said that:\n - call centre operations are part of their core function,\n - they are worried about the risk of going abroad,\n - they fear damage to their brand.",
			[]string{"They said that:", "- call centre operations are part of their core function,", "- they are worried about the risk of going abroad,", "- they fear damage to their brand."}},
		{"ragged continuation in lower case", "The minister said the plan\nwould cost less. Critics disagreed.", []string{"The minister said the plan\nwould cost less.", "Critics disagreed."}},
		// Class 11: headings are not sentences.
		{"markdown heading", "# Who designed the library\n\nThe library was designed by Ada Osei.\n\n## Costs\nIt cost £4m.", []string{"The library was designed by Ada Osei.", "It cost £4m."}},
		{"hashtag is not a heading", "#Budget2025 trended. Next.", []string{"#Budget2025 trended.", "Next."}},
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
