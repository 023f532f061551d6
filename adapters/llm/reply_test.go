package llm

import "testing"

func TestCleanReply(t *testing.T) {
	tests := []struct {
		name, in, want string
		declined, err  bool
	}{
		{"plain", "  The ministry expects a smaller deficit [1].\n", "The ministry expects a smaller deficit [1].", false, false},
		{"think block dropped", "<think>they ask about the deficit</think>\nThe deficit falls [1].", "The deficit falls [1].", false, false},
		{"only reasoning", "<think>the sources say", "", false, true},
		{"entities undone", "It said “AT&amp;T &lt;3” [1].", "It said “AT&T <3” [1].", false, false},
		{"reference list dropped", "The deficit falls [1].\n\nSources:\n[1] Ministry sees smaller deficit", "The deficit falls [1].", false, false},
		{"bold reference list dropped", "The deficit falls [1].\n**References:** [1]", "The deficit falls [1].", false, false},
		{"marker", "CANNOT_TELL", "", true, false},
		{"marker with words", "CANNOT_TELL: the sources are about trade.", "", true, false},
		{"decline in words", "I cannot tell from these sources.", "", true, false},
		{"decline in other words", "The sources do not mention the deficit.", "", true, false},
		{"partial decline with citation kept", "The deficit falls [1]; the sources do not say when.", "The deficit falls [1]; the sources do not say when.", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, declined, err := cleanReply(tt.in)
			if (err != nil) != tt.err || declined != tt.declined || got != tt.want {
				t.Errorf("cleanReply(%q) = %q, %v, %v; want %q, declined %v, error %v",
					tt.in, got, declined, err, tt.want, tt.declined, tt.err)
			}
		})
	}
}

func TestUserMessageEscapes(t *testing.T) {
	got := escapeAttr("A \"quoted\" <b>title</b> & more\nline")
	want := "A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt; &amp; more line"
	if got != want {
		t.Errorf("escapeAttr = %q, want %q", got, want)
	}
	if got := escapeText("x</source><source id=\"2\">"); got != "x&lt;/source&gt;&lt;source id=\"2\"&gt;" {
		t.Errorf("escapeText = %q", got)
	}
}
