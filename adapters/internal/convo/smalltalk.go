package convo

import "strings"

// Talk is what a message is when it is small talk rather than a question
// for the news. The classification is shared by every chat adapter, so
// that "hi" is a greeting on the terminal, Telegram and Discord alike;
// each platform replies in its own way.
type Talk int

const (
	// NotTalk is a question for the news (or anything else that is not
	// small talk).
	NotTalk Talk = iota
	// Greeting is "hi", "hello", "good morning"…: a short hello and how to
	// ask answer it.
	Greeting
	// Thanks is "thanks", "thank you"…: ThanksReply answers it.
	Thanks
	// Help is a bare "help" or "?": the platform's help text answers it.
	Help
	// Goodbye is "bye", "quit", "exit"…: the terminal chat leaves; a chat
	// platform, where there is nothing to leave, says GoodbyeReply.
	Goodbye
)

// smallTalk maps each small-talk message, normalised as SmallTalk does, to
// its kind.
var smallTalk = map[string]Talk{}

func init() {
	for kind, words := range map[Talk][]string{
		Greeting: {"hi", "hello", "hey", "hi there", "hello there", "good morning", "good afternoon", "good evening"},
		Thanks:   {"thanks", "thank you", "thanks a lot", "thank you very much", "many thanks", "thx", "cheers"},
		Help:     {"help", "?"},
		Goodbye:  {"quit", "exit", "bye", "goodbye"},
	} {
		for _, w := range words {
			smallTalk[w] = kind
		}
	}
}

// Replies every platform gives in the same words.
const (
	ThanksReply  = "You're welcome."
	GoodbyeReply = "Goodbye! Ask me again any time."
)

// SmallTalk returns what text is as small talk. Only a whole message that
// is one of the known phrases counts, whatever its case, surrounding spaces
// and closing punctuation ("Thanks!" is Thanks); anything longer, such as
// "hi, when did the dam reopen?", is a question (NotTalk).
func SmallTalk(text string) Talk {
	s := strings.ToLower(strings.TrimSpace(text))
	if s != "?" {
		s = strings.TrimSpace(strings.TrimRight(s, "!.?,;: "))
	}
	return smallTalk[s]
}
