package lexicon

import (
	"slices"
	"testing"
)

func TestRelated(t *testing.T) {
	tests := []struct {
		stem, want string
		kind       Kind
	}{
		{"invad", "invas", Derivation},
		{"invas", "invad", Derivation},
		{"said", "say", Inflection},
		{"won", "win", Inflection},
		{"took", "take", Inflection},
	}
	for _, tt := range tests {
		if !slices.Contains(Related(tt.stem), Relation{tt.want, tt.kind}) {
			t.Errorf("Related(%q) = %v, want it to hold %q (%c)", tt.stem, Related(tt.stem), tt.want, tt.kind)
		}
	}
	if r := Related("zzqx"); r != nil {
		t.Errorf("Related(unknown) = %v, want nil", r)
	}
}

func BenchmarkLoad(b *testing.B) {
	for range b.N {
		load()
	}
}

func TestClasses(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"sculptor", "p"},
		{"chairman", "p"},
		{"cumbria", "L"},
		{"city", "l"},
		{"zzqx", ""},
	} {
		if got := Classes(tt.word); got != tt.want {
			t.Errorf("Classes(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
