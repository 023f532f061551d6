package text

// Span is a half-open byte range [Start, End) in a text (in bot, an
// article's Text).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }
