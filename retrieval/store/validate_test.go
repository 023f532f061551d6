package store_test

import (
	"strings"
	"testing"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

func TestValidate(t *testing.T) {
	chunk := func(start, end int, sentences ...bot.Span) store.Chunk {
		return store.Chunk{Span: bot.Span{Start: start, End: end}, Sentences: sentences}
	}
	tests := []struct {
		name   string
		id     string
		chunks []store.Chunk
		want   string // "" = valid
	}{
		{"valid", "a", []store.Chunk{chunk(0, 5, bot.Span{Start: 0, End: 2}, bot.Span{Start: 3, End: 5}), chunk(5, 10)}, ""},
		{"no chunks", "a", nil, ""},
		{"empty id", "", nil, "no id"},
		{"chunk past the text", "a", []store.Chunk{chunk(0, 11)}, "chunk 0 spans bytes [0, 11) of a 10-byte text"},
		{"chunk reversed", "a", []store.Chunk{chunk(0, 5), chunk(6, 4)}, "chunk 1 spans bytes [6, 4)"},
		{"negative start", "a", []store.Chunk{chunk(-1, 4)}, "chunk 0 spans bytes [-1, 4)"},
		{"sentence outside chunk", "a", []store.Chunk{chunk(0, 5, bot.Span{Start: 4, End: 6})}, "sentence 0 spans bytes [4, 6), outside"},
	}
	for _, tt := range tests {
		r := store.Record{Article: bot.Article{ID: tt.id, Text: "0123456789"}, Chunks: tt.chunks}
		err := r.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: Validate = %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}
