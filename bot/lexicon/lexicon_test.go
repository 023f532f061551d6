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
