package convo

import "testing"

func TestSmallTalk(t *testing.T) {
	tests := []struct {
		text string
		want Talk
	}{
		{"hi", Greeting},
		{"  Hello!  ", Greeting},
		{"Good morning.", Greeting},
		{"hi there!!", Greeting},
		{"thanks!", Thanks},
		{"Thank you.", Thanks},
		{"THX", Thanks},
		{"help", Help},
		{"Help?", Help},
		{"?", Help},
		{"quit", Goodbye},
		{"Exit", Goodbye},
		{"bye!", Goodbye},
		// Questions, however they start.
		{"hi, when did the dam reopen?", NotTalk},
		{"thanks to whom did the dam reopen?", NotTalk},
		{"help for farmers?", NotTalk},
		{"quit smoking campaign?", NotTalk},
		{"why did Brexit mean exit?", NotTalk},
		{"??", NotTalk},
		{"", NotTalk},
		{"   ", NotTalk},
		{"/help", NotTalk}, // a command is the platform's business
	}
	for _, tt := range tests {
		if got := SmallTalk(tt.text); got != tt.want {
			t.Errorf("SmallTalk(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
