package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
	"newsbot/internal/golden"
)

// End-to-end tests: the real go-telegram/bot library against the fake Bot
// API on loopback.

const (
	alice = int64(111)
	bob   = int64(222)
	eve   = int64(333)
	group = int64(-1001)
)

var (
	melonisQuote = func(t *testing.T) bot.Quote {
		return quoteOf(t, romeArticle, "\"We will not raise taxes on families,\" Meloni told the Senate.")
	}
	zelenskysQuote = func(t *testing.T) bot.Quote {
		return quoteOf(t, kyivArticle, "He said talks on air defence were \"productive\".")
	}
)

func questionTexts(qs []bot.Question) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Text)
	}
	return out
}

func TestPrivateQuestionAndFollowUp(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("what did Meloni say?", melonisQuote(t), zelenskysQuote(t))
	h.asker.on("and the opposition?", quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic."))

	_, got := h.ask(privateMsg(alice, "what did Meloni say?"), 1)
	if got.ChatID != alice || got.ReplyTo != 0 || got.ParseMode != "HTML" {
		t.Errorf("sent %+v; want a plain HTML message to chat %d", got, alice)
	}
	golden.Check(t, "answer_simple", got.Text) // same answer as the rendering test

	h.ask(privateMsg(alice, "and the opposition?"), 2)
	qs := h.asker.questions()
	if qs[0].Previous != nil {
		t.Errorf("first question has Previous %q", qs[0].Previous)
	}
	if !slices.Equal(qs[1].Previous, []string{"what did Meloni say?"}) {
		t.Errorf("follow-up has Previous %q, want the first question", qs[1].Previous)
	}
}

func TestPrivateFollowUpWindow(t *testing.T) {
	h := start(t, Config{}, WithFollowUpWindow(time.Nanosecond))
	h.ask(privateMsg(alice, "first"), 1)
	h.ask(privateMsg(alice, "much later"), 2)
	if qs := h.asker.questions(); qs[1].Previous != nil {
		t.Errorf("a question after the window has Previous %q", qs[1].Previous)
	}
}

func TestGroupAddressing(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("what did Meloni say?", melonisQuote(t))
	h.asker.on("and Zelensky?", zelenskysQuote(t))
	otherBot := groupMsg(group, 999, "@newsbot_bot what did Meloni say?")
	otherBot.From.IsBot = true
	self := groupMsg(group, botUser.ID, "@newsbot_bot what did Meloni say?")
	self.From = &botUser
	channel := groupMsg(group, 136817688, "@newsbot_bot what did Meloni say?")
	channel.SenderChat = &models.Chat{ID: -100777, Type: models.ChatTypeChannel}

	anonymousAdmin := groupMsg(group, groupAnonymousBot, "@newsbot_bot what did Meloni say?")
	anonymousAdmin.From.IsBot = true
	anonymousAdmin.SenderChat = &models.Chat{ID: group, Type: models.ChatTypeSupergroup}
	inTopic := groupMsg(group, bob, "/ask what did Meloni say?")
	inTopic.IsTopicMessage, inTopic.MessageThreadID = true, 42

	// Not for the bot: none of these may be answered.
	for _, m := range []models.Message{
		groupMsg(group, bob, "what did Meloni say?"),
		groupMsg(group, bob, "/ask@otherbot what did Meloni say?"),
		groupMsg(group, bob, "@newsbot_botx what did Meloni say?"),
		groupMsg(group, bob, "write to me@newsbot_bot.example"),
		groupMsg(group, bob, "/weather"),
		otherBot, self, channel,
	} {
		h.api.push(m)
	}

	steps := []models.Message{
		groupMsg(group, bob, "@NewsBot_Bot, what did Meloni say?"),
		groupMsg(group, bob, "what did @newsbot_bot Meloni say?"),
		groupMsg(group, bob, "/ask what did Meloni say?"),
		groupMsg(group, bob, "/ask@newsbot_bot what did Meloni say?"),
		groupMsg(group, bob, "/ask"),
		groupMsg(group, bob, "/nonsense@newsbot_bot"),
		anonymousAdmin, inTopic,
	}
	var sent []sentMessage
	for i, s := range steps {
		m, got := h.ask(s, i+1)
		if got.ChatID != group || got.ReplyTo != m.ID {
			t.Errorf("step %d: sent to chat %d replying to %d; want chat %d replying to %d", i+1, got.ChatID, got.ReplyTo, group, m.ID)
		}
		sent = append(sent, got)
	}
	if sent[7].Thread != 42 {
		t.Errorf("answer in a forum topic went to thread %d, want 42", sent[7].Thread)
	}
	for _, i := range []int{0, 1, 2, 3, 6, 7} {
		if !strings.Contains(sent[i].Text, "raise taxes") {
			t.Errorf("step %d: got %q, want the answer", i+1, sent[i].Text)
		}
	}
	if sent[4].Text != escapeText(renderAskUsage()) || sent[5].Text != escapeText(renderUnknownCommand()) {
		t.Errorf("/ask alone got %q, unknown command got %q", sent[4].Text, sent[5].Text)
	}

	// A reply to the bot's answer is a follow-up, with the chain as context.
	m, got := h.ask(replyTo(groupMsg(group, alice, "and Zelensky?"), sent[0]), len(steps)+1)
	if got.ReplyTo != m.ID || !strings.Contains(got.Text, "air defence") {
		t.Errorf("follow-up answer %+v", got)
	}

	if err := h.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := slices.Repeat([]string{"what did Meloni say?"}, 6)
	want = append(want, "and Zelensky?")
	qs := h.asker.questions()
	if got := questionTexts(qs); !slices.Equal(got, want) {
		t.Errorf("asked %q, want %q", got, want)
	}
	if last := qs[len(qs)-1]; !slices.Equal(last.Previous, []string{"what did Meloni say?"}) {
		t.Errorf("reply follow-up has Previous %q", last.Previous)
	}
	if sentAll, _ := h.api.snapshot(); len(sentAll) != len(steps)+1 {
		t.Errorf("sent %d messages, want %d: something not for the bot was answered", len(sentAll), len(steps)+1)
	}
}

func TestCommands(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("what did Meloni say?", melonisQuote(t), quoteOf(t, scriptArticle, "Fixed since."))

	_, got := h.ask(privateMsg(alice, "/start"), 1)
	golden.Check(t, "help_start", got.Text)
	_, got = h.ask(privateMsg(alice, "/help"), 2)
	golden.Check(t, "help", got.Text)
	_, got = h.ask(privateMsg(alice, "/sources"), 3)
	if got.Text != "I haven't answered anything in this chat yet." {
		t.Errorf("/sources before any answer: %q", got.Text)
	}
	_, answer := h.ask(privateMsg(alice, "what did Meloni say?"), 4)
	_, got = h.ask(privateMsg(alice, "/sources"), 5)
	golden.Check(t, "e2e_sources", got.Text)
	p, err := parseTelegramHTML(got.Text)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{romeArticle.URL, scriptArticle.URL} {
		if !slices.ContainsFunc(p.Links, func(l tgLink) bool { return l.Href == want && l.Text == want }) {
			t.Errorf("/sources lacks a link to %s: %+v", want, p.Links)
		}
	}

	// In a group, /help goes to every bot; /sources answers for the group.
	m, got := h.ask(groupMsg(group, bob, "/help@newsbot_bot"), 6)
	if got.ReplyTo != m.ID || !strings.Contains(got.Text, "12,345 articles") {
		t.Errorf("group /help: %+v", got)
	}
	_, got = h.ask(groupMsg(group, bob, "/sources"), 7)
	if got.Text != "I haven't answered anything in this chat yet." {
		t.Errorf("group /sources must not list another chat's answer: %q", got.Text)
	}
	// /sources in reply to an answer lists that answer's sources.
	_, got = h.ask(replyTo(privateMsg(alice, "/sources"), answer), 8)
	if !strings.Contains(got.Text, "Meloni defends budget") {
		t.Errorf("/sources replying to an answer: %q", got.Text)
	}

	h.asker.mu.Lock()
	h.asker.infoErr = errors.New("store offline")
	h.asker.mu.Unlock()
	_, got = h.ask(privateMsg(alice, "/help"), 9)
	golden.Check(t, "help_no_info", got.Text)
}

// TestSmallTalk checks that greetings, thanks, help and goodbyes get a
// chat's reply, in a private chat and when addressed in a group, and are
// never put to the news as questions.
func TestSmallTalk(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("hi", melonisQuote(t)) // what "hi" would get if it were asked
	tests := []struct {
		msg  models.Message
		want string
	}{
		{privateMsg(alice, "hi"), escapeText(renderGreeting("newsbot_bot", true))},
		{groupMsg(group, bob, "@newsbot_bot Hello!"), escapeText(renderGreeting("newsbot_bot", false))},
		{privateMsg(alice, "thanks!"), escapeText(convo.ThanksReply)},
		{privateMsg(alice, "bye"), escapeText(convo.GoodbyeReply)},
	}
	for i, tt := range tests {
		if _, got := h.ask(tt.msg, i+1); got.Text != tt.want {
			t.Errorf("%q: replied %q, want %q", tt.msg.Text, got.Text, tt.want)
		}
	}
	_, got := h.ask(privateMsg(alice, "help"), len(tests)+1)
	golden.Check(t, "help", got.Text) // the same as /help
	if qs := h.asker.questions(); len(qs) != 0 {
		t.Errorf("small talk was asked as questions: %q", questionTexts(qs))
	}
}

func TestNoEvidenceIsRefused(t *testing.T) {
	h := start(t, Config{})
	_, got := h.ask(privateMsg(alice, "who won the cup final?"), 1)
	if got.Text != escapeText(bot.NoAnswer) {
		t.Errorf("got %q, want the refusal %q", got.Text, bot.NoAnswer)
	}
	_, got = h.ask(privateMsg(alice, "/sources"), 2)
	if got.Text != "My last answer here didn't quote any articles." {
		t.Errorf("/sources after a refusal: %q", got.Text)
	}
}

// TestRefusalNamesClosest sends a refusal with closest articles through the
// real client: the fake API accepts it as Telegram HTML, and it reads as
// the plain refusal followed by the articles' titles.
func TestRefusalNamesClosest(t *testing.T) {
	h := start(t, Config{})
	q := "how many people work at the Senate?"
	h.asker.mu.Lock()
	h.asker.answers[q] = bot.Answer{Question: q, Closest: []bot.Citation{citationOf(romeArticle), citationOf(scriptArticle)}}
	h.asker.mu.Unlock()
	_, got := h.ask(privateMsg(alice, q), 1)
	p, err := parseTelegramHTML(got.Text)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.NoAnswer + " Closest: " + romeArticle.Title + " (Reuters, 5 March 2026); " +
		scriptArticle.Title + " (" + scriptArticle.Source + ", 2 March 2026)"
	if p.Text != want || len(p.Links) != 2 || p.Links[1].Href != scriptArticle.URL {
		t.Errorf("refusal reads %q with links %v\nwant %q", p.Text, p.Links, want)
	}
}

func TestEscapedArticleText(t *testing.T) {
	h := start(t, Config{})
	quotes := []bot.Quote{
		quoteOf(t, scriptArticle, `Researchers showed that <script>alert("x")</script> ran in AT&T's portal.`),
		quoteOf(t, scriptArticle, `They said 3 < 4 && 5 > 2 is how the filter failed.`),
	}
	h.asker.on("what bug?", quotes...)
	// The user's own text is never echoed unescaped either.
	_, got := h.ask(privateMsg(alice, "what bug?"), 1)
	golden.Check(t, "answer_escaping", got.Text)
	p, err := parseTelegramHTML(got.Text)
	if err != nil {
		t.Fatalf("Telegram would reject the answer: %v", err)
	}
	if len(p.Quotes) != 2 || p.Quotes[0] != quotes[0].Text || p.Quotes[1] != quotes[1].Text {
		t.Errorf("quotes altered: %q", p.Quotes)
	}
	if strings.Contains(got.Text, "<script>") {
		t.Error("raw <script> in the message")
	}
}

func TestLongAnswerIsSplit(t *testing.T) {
	h := start(t, Config{})
	long := longArticle()
	quotes := []bot.Quote{
		quoteOf(t, long, "Short opening sentence."),
		quoteOf(t, long, strings.TrimPrefix(long.Text, "Short opening sentence. ")),
		quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic."),
	}
	h.asker.on("tell me everything", quotes...)
	want := renderAnswer(bot.Answer{Answered: true, Quotes: quotes}, maxMessageUTF16)
	if len(want) < 3 {
		t.Fatalf("test answer renders to %d messages; want a longer one", len(want))
	}
	m := h.api.push(groupMsg(group, bob, "/ask tell me everything"))
	sent := h.api.waitSent(len(want))
	h.settle()
	var texts []string
	for i, s := range sent {
		texts = append(texts, s.Text)
		if i == 0 && s.ReplyTo != m.ID || i > 0 && s.ReplyTo != 0 {
			t.Errorf("part %d replies to %d", i+1, s.ReplyTo)
		}
	}
	golden.Check(t, "answer_split_long", strings.Join(texts, messageBreak))
	parsed := checkMessages(t, texts, maxMessageUTF16)
	if got := quotedText(parsed); got != quotes[0].Text+quotes[1].Text+quotes[2].Text {
		t.Error("quotes altered by splitting")
	}

	// A reply to any part continues the conversation.
	h.ask(replyTo(groupMsg(group, bob, "and then?"), sent[2]), len(want)+1)
	if qs := h.asker.questions(); !slices.Equal(qs[1].Previous, []string{"tell me everything"}) {
		t.Errorf("reply to a later part has Previous %q", qs[1].Previous)
	}
}

func TestTooManyRequestsIsRetried(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("what did Meloni say?", melonisQuote(t))
	h.api.mu.Lock()
	h.api.tooMany = 1
	h.api.mu.Unlock()

	_, got := h.ask(privateMsg(alice, "what did Meloni say?"), 1)
	if !strings.Contains(got.Text, "raise taxes") {
		t.Errorf("after a retry, sent %q", got.Text)
	}
	h.api.mu.Lock()
	defer h.api.mu.Unlock()
	if len(h.api.tooManyAt) != 1 || len(h.api.sendTimes) != 2 {
		t.Fatalf("sendMessage tried %d times with %d 429s; want 2 and 1", len(h.api.sendTimes), len(h.api.tooManyAt))
	}
	// A lower bound: the retry must respect retry_after (1 s).
	if wait := h.api.sendTimes[1].Sub(h.api.tooManyAt[0]); wait < 900*time.Millisecond {
		t.Errorf("retried after %v, before retry_after", wait)
	}
}

func TestSendErrorsDoNotStopTheBot(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("what did Meloni say?", melonisQuote(t))
	h.api.mu.Lock()
	h.api.failSends = 1
	h.api.failPolls = 1
	h.api.mu.Unlock()

	h.api.push(privateMsg(alice, "what did Meloni say?"))
	h.api.waitFor("the failing send", func() bool { return len(h.api.sendTimes) == 1 })
	_, got := h.ask(privateMsg(bob, "what did Meloni say?"), 1)
	if got.ChatID != bob {
		t.Errorf("answer went to %d, want %d", got.ChatID, bob)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	logs := h.logs.String()
	for _, want := range []string{"send message failed", "chat not found", "getUpdates", "HTTP 502 Bad Gateway"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

func TestAllowlists(t *testing.T) {
	h := start(t, Config{AllowedChats: []int64{group}, AllowedUsers: []int64{alice}})
	h.asker.on("what did Meloni say?", melonisQuote(t))

	h.api.push(groupMsg(-1002, eve, "@newsbot_bot what did Meloni say?")) // silence in groups
	h.settle()
	_, got := h.ask(privateMsg(eve, "what did Meloni say?"), 1)
	if got.ChatID != eve || got.Text != escapeText(renderRefusal(eve)) {
		t.Errorf("non-allowlisted private chat got %q", got.Text)
	}
	h.api.push(privateMsg(eve, "please?"))                                 // told once a minute at most
	_, got = h.ask(groupMsg(-1002, alice, "/ask what did Meloni say?"), 2) // allowed user anywhere
	if !strings.Contains(got.Text, "<blockquote>") {
		t.Errorf("allowed user in another group got %q", got.Text)
	}
	_, got = h.ask(groupMsg(group, eve, "/ask what did Meloni say?"), 3) // anyone in an allowed chat
	if !strings.Contains(got.Text, "<blockquote>") {
		t.Errorf("allowed chat got %q", got.Text)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(h.asker.questions()); n != 2 {
		t.Errorf("asker called %d times, want 2 (never for refused chats)", n)
	}
	if sent, _ := h.api.snapshot(); len(sent) != 3 {
		t.Errorf("sent %d messages, want 3", len(sent))
	}
}

func TestRateLimit(t *testing.T) {
	h := start(t, Config{RatePerMinute: 2})
	h.asker.on("q", melonisQuote(t))
	h.ask(privateMsg(alice, "q"), 1)
	h.ask(privateMsg(alice, "q"), 2)
	_, got := h.ask(privateMsg(alice, "q"), 3)
	if !strings.HasPrefix(got.Text, "You're asking faster than I can read") {
		t.Errorf("third question got %q, want the rate-limit notice", got.Text)
	}
	h.api.push(privateMsg(alice, "q")) // limited again: no second notice
	h.ask(privateMsg(bob, "q"), 4)     // others are not limited
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(h.asker.questions()); n != 3 {
		t.Errorf("asker called %d times, want 3", n)
	}
	if sent, _ := h.api.snapshot(); len(sent) != 4 {
		t.Errorf("sent %d messages, want 4 (one notice only)", len(sent))
	}
}

func TestHandlersRunConcurrently(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("slow", melonisQuote(t))
	h.asker.on("fast", zelenskysQuote(t))
	release := h.asker.gate("slow")
	defer release()

	h.api.push(privateMsg(alice, "slow"))
	h.asker.waitAsked(t, 1)
	// "slow" is still being answered; "fast" must not wait for it.
	h.api.push(privateMsg(bob, "fast"))
	if got := h.api.waitSent(1)[0]; got.ChatID != bob {
		t.Fatalf("first answer went to %d, want %d", got.ChatID, bob)
	}
	release()
	if sent := h.api.waitSent(2); sent[1].ChatID != alice {
		t.Errorf("second answer went to %d, want %d", sent[1].ChatID, alice)
	}
}

func TestShutdownWaitsForAnswersInFlight(t *testing.T) {
	h := start(t, Config{})
	h.asker.on("slow", melonisQuote(t))
	release := h.asker.gate("slow")
	h.api.push(privateMsg(alice, "slow"))
	h.asker.waitAsked(t, 1)

	h.cancel() // SIGINT
	release()
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	sent, _ := h.api.snapshot()
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "raise taxes") {
		t.Errorf("Run returned before the answer in flight was sent: %+v", sent)
	}
}

func TestShutdownIsBounded(t *testing.T) {
	h := start(t, Config{}, WithShutdownTimeout(100*time.Millisecond))
	release := h.asker.gate("stuck")
	defer release()
	h.api.push(privateMsg(alice, "stuck"))
	h.asker.waitAsked(t, 1)
	if err := h.stop(); err != nil { // hangs (and fails) if unbounded
		t.Fatal(err)
	}
	h.asker.mu.Lock()
	defer h.asker.mu.Unlock()
	if len(h.asker.ctxErrs) != 1 || !errors.Is(h.asker.ctxErrs[0], context.Canceled) {
		t.Errorf("the stuck answer was not cancelled: %v", h.asker.ctxErrs)
	}
}

func TestWebhook(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-token_value"
	h := start(t, Config{WebhookURL: "https://bot.example.test/tg/hook", SecretToken: secret}, WithWebhookListener(ln))
	h.asker.on("what did Meloni say?", melonisQuote(t))
	h.api.waitFor("setWebhook", func() bool { return h.api.webhook != nil })
	h.api.mu.Lock()
	hook := h.api.webhook
	h.api.mu.Unlock()
	if hook["url"] != "https://bot.example.test/tg/hook" || hook["secret_token"] != secret || hook["allowed_updates"] != `["message"]` {
		t.Errorf("setWebhook with %v", hook)
	}

	m := privateMsg(alice, "what did Meloni say?")
	m.ID = 77
	body := fmt.Sprintf(`{"update_id": 5, "message": %s}`, mustJSON(t, m))
	url := "http://" + ln.Addr().String()
	tests := []struct {
		name, method, path, secret string
		want                       int
	}{
		{"no secret", http.MethodPost, "/tg/hook", "", http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "/tg/hook", "s3cret-token_valuf", http.StatusUnauthorized},
		{"secret prefix", http.MethodPost, "/tg/hook", "s3cret", http.StatusUnauthorized},
		{"wrong path", http.MethodPost, "/other", secret, http.StatusNotFound},
		{"GET", http.MethodGet, "/tg/hook", secret, http.StatusMethodNotAllowed},
		{"right secret", http.MethodPost, "/tg/hook", secret, http.StatusOK},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, url+tt.path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tt.secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
	got := h.api.waitSent(1)[0]
	if got.ChatID != alice || !strings.Contains(got.Text, "raise taxes") {
		t.Errorf("webhook answer %+v", got)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(h.asker.questions()); n != 1 {
		t.Errorf("asker called %d times, want 1: a rejected request was processed", n)
	}
	if !strings.Contains(h.logs.String(), "wrong secret token rejected") {
		t.Error("rejected webhook requests are not logged")
	}
}

func TestRunErrorsHideTheToken(t *testing.T) {
	// A closed port on loopback: the transport error quotes the URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	api := newFakeAPI(t)
	api.token = "999:other-token" // so testToken is refused

	tests := []struct {
		name, apiURL, want string
	}{
		{"rejected token", api.srv.URL, "check [telegram] token or NEWSBOT_TELEGRAM_TOKEN"},
		{"unreachable API", closed, "getMe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			a, err := New(Config{Token: testToken, APIURL: tt.apiURL}, newFakeAsker(),
				WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // hang guard
			defer cancel()
			err = a.Run(ctx)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run() = %v, want an error mentioning %q", err, tt.want)
			}
			if tt.name == "rejected token" && !errors.Is(err, tgbot.ErrorUnauthorized) {
				t.Errorf("Run() = %v, want it to wrap ErrorUnauthorized", err)
			}
			_, secret, _ := strings.Cut(testToken, ":")
			if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
				t.Errorf("the token leaked: %v\n%s", err, logs)
			}
		})
	}
}

func TestNewRejectsBadSetup(t *testing.T) {
	asker := newFakeAsker()
	tests := []struct {
		name  string
		cfg   Config
		asker bot.Asker
		opts  []Option
	}{
		{"no token", Config{}, asker, nil},
		{"nil asker", Config{Token: testToken}, nil, nil},
		{"busy polling", Config{Token: testToken}, asker, []Option{WithPollTimeout(time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg, tt.asker, tt.opts...); err == nil {
				t.Error("New succeeded")
			}
		})
	}
	a, err := New(Config{Token: testToken, APIURL: newFakeAPI(t).srv.URL}, asker)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Run(ctx); err != nil { // already done: nothing to do
		t.Errorf("Run with a done context = %v, want nil", err)
	}
	if err := a.Run(ctx); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run() = %v, want an error", err)
	}
}
