package use

import "testing"

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", " ", "The quick brown fox.", "ﬁ ligature ① compatibility",
		"emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301 combining", "caf\xe9 \xff",
		"\u202eRTL override\u202c", "zero\u200bwidth", "\x00\x01 control", ":30 :00",
	} {
		f.Add(s)
	}
	tok := testModel(f).tok
	f.Fuzz(func(t *testing.T, text string) {
		ids := tok.encode(text)
		if len(normalize(text)) == 0 && len(ids) != 0 {
			t.Fatalf("empty input gave ids %v", ids)
		}
		for i, id := range ids {
			if id < 0 || id >= len(tok.score) {
				t.Fatalf("id %d at %d out of vocabulary range [0,%d)", id, i, len(tok.score))
			}
			if i > 0 && id == unknownID && ids[i-1] == unknownID {
				t.Fatalf("two unknown ids in a row at %d: %v", i, ids)
			}
		}
	})
}
