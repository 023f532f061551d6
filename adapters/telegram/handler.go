package telegram

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/go-telegram/bot/models"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// kind is what a message asks of the bot.
type kind int

const (
	kindIgnore kind = iota // not addressed to the bot
	kindQuestion
	kindStart
	kindHelp
	kindSources
	kindAskUsage // /ask without a question
	kindUnknownCommand
	kindFollow   // /follow, /following, /unfollow
	kindGreeting // small talk (convo.SmallTalk) instead of a question
	kindThanks
	kindGoodbye
)

// request is a message the bot should act on.
type request struct {
	kind   kind
	text   string              // the question, for kindQuestion; the arguments, for kindFollow
	follow convo.FollowCommand // for kindFollow
}

// groupAnonymousBot is the sender Telegram shows for anonymous group
// admins; they are people, not bots.
const groupAnonymousBot = 1087968824

// handle acts on one update.
func (a *Adapter) handle(ctx context.Context, upd *models.Update) {
	m := upd.Message
	if m == nil || m.From == nil || m.Text == "" || !a.fromPerson(m) {
		return
	}
	req := a.classify(m)
	if req.kind == kindIgnore {
		return
	}
	private := m.Chat.Type == models.ChatTypePrivate
	t := target{chat: m.Chat.ID}
	if m.IsTopicMessage {
		t.thread = m.MessageThreadID
	}
	if !private {
		t.replyTo = m.ID
	}
	log := a.log.With("chat_id", m.Chat.ID, "user_id", m.From.ID)

	// Groups get silence when not allowed; a person gets told, once a
	// minute at most.
	var refused func(bool)
	if private {
		refused = func(notify bool) {
			if notify {
				a.send(ctx, t, escapeText(renderRefusal(m.From.ID)))
			}
		}
	}
	limited := func(wait time.Duration, notify bool) {
		if notify {
			a.send(ctx, t, escapeText(renderRateLimited(wait)))
		}
	}
	if !a.gate.Admit(log, userKey(m.From.ID), a.allowed(m), refused, limited) {
		return
	}

	switch req.kind {
	case kindStart, kindHelp:
		var info *bot.Info
		if in, err := a.asker.Info(ctx); err != nil {
			log.Error("telegram: info for help", "err", a.redact(err))
		} else {
			info = &in
		}
		a.send(ctx, t, renderHelp(info, a.me.Username, req.kind == kindStart, a.follows.Enabled()))
	case kindSources:
		a.sendAll(ctx, t, renderSources(a.mem.Answer(ctx, m.Chat.ID, a.repliedTo(m)), maxMessageUTF16))
	case kindAskUsage:
		a.send(ctx, t, escapeText(renderAskUsage()))
	case kindUnknownCommand:
		a.send(ctx, t, escapeText(renderUnknownCommand()))
	case kindGreeting:
		a.send(ctx, t, escapeText(renderGreeting(a.me.Username, private)))
	case kindThanks:
		a.send(ctx, t, escapeText(convo.ThanksReply))
	case kindGoodbye:
		a.send(ctx, t, escapeText(convo.GoodbyeReply))
	case kindQuestion:
		a.answer(ctx, log, m, t, req.text)
	case kindFollow:
		a.follow(ctx, log, m.Chat.ID, t, req.follow, req.text)
	}
}

// answer asks the question and sends the answer, remembering it for
// follow-ups and /sources. Only a private chat continues the last answer
// without a reply.
func (a *Adapter) answer(ctx context.Context, log *slog.Logger, m *models.Message, t target, question string) {
	q := convo.Question[int64, int]{
		Place:   m.Chat.ID,
		Text:    question,
		ReplyTo: a.repliedTo(m),
		Send: func(ctx context.Context, ans bot.Answer) []int {
			return a.sendAll(ctx, t, renderAnswer(ans, maxMessageUTF16))
		},
		Fail: func(ctx context.Context, msg string) { a.send(ctx, t, escapeText(msg)) },
	}
	if m.Chat.Type == models.ChatTypePrivate {
		q.ContinueWithin = a.followUpWindow
	}
	convo.Ask(ctx, log, a.scrub, a.asker, a.mem, q)
}

// fromPerson reports whether m was sent by a person: not this bot, not
// another bot, not a channel speaking in a group. Anonymous admins of the
// group itself count as people.
func (a *Adapter) fromPerson(m *models.Message) bool {
	switch {
	case m.From.ID == a.me.ID:
		return false
	case m.From.ID == groupAnonymousBot:
		return m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID
	case m.From.IsBot, m.IsAutomaticForward:
		return false
	}
	return m.SenderChat == nil
}

// allowed reports whether the allowlists let m be answered.
func (a *Adapter) allowed(m *models.Message) bool {
	if a.allowedChats == nil && a.allowedUsers == nil {
		return true
	}
	return a.allowedChats[m.Chat.ID] || a.allowedUsers[m.From.ID]
}

// repliedTo returns the ID of the bot's message that m replies to, or 0.
func (a *Adapter) repliedTo(m *models.Message) int {
	r := m.ReplyToMessage
	if r == nil || r.From == nil || r.From.ID != a.me.ID {
		return 0
	}
	return r.ID
}

// classify decides what m asks of the bot. In a private chat everything is
// for the bot; in a group only commands, mentions of the bot and replies to
// its messages are.
func (a *Adapter) classify(m *models.Message) request {
	text := strings.TrimSpace(m.Text)
	private := m.Chat.Type == models.ChatTypePrivate
	addressed := private || a.repliedTo(m) != 0
	if cmd, to, args, ok := parseCommand(text); ok {
		if to != "" && !strings.EqualFold(to, a.me.Username) {
			return request{} // another bot's command
		}
		switch strings.ToLower(cmd) {
		case "start":
			return request{kind: kindStart}
		case "help":
			return request{kind: kindHelp}
		case "sources":
			return request{kind: kindSources}
		case "ask":
			if q := a.stripMentions(args); q != "" {
				return request{kind: kindQuestion, text: q}
			}
			return request{kind: kindAskUsage}
		}
		if f := convo.FollowCommandNamed(cmd); f != convo.NotFollow {
			return request{kind: kindFollow, follow: f, text: a.stripMentions(args)}
		}
		if addressed || to != "" {
			return request{kind: kindUnknownCommand}
		}
		return request{}
	}
	if !addressed && !a.mentioned(text) {
		return request{}
	}
	q := a.stripMentions(text)
	// Small talk gets a chat's reply, not quotes; only a message of its own
	// counts: /ask hi is asked.
	switch convo.SmallTalk(q) {
	case convo.Greeting:
		return request{kind: kindGreeting}
	case convo.Thanks:
		return request{kind: kindThanks}
	case convo.Help:
		return request{kind: kindHelp}
	case convo.Goodbye:
		return request{kind: kindGoodbye}
	}
	// An empty question is passed on: the asker says what is wrong with it.
	return request{kind: kindQuestion, text: q}
}

// parseCommand splits "/cmd@to args" into its parts.
func parseCommand(text string) (cmd, to, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		head, rest = text[:i], text[i:]
	}
	cmd, to, _ = strings.Cut(head[1:], "@")
	if cmd == "" || len(cmd) > 32 || strings.IndexFunc(cmd, notWordRune) >= 0 {
		return "", "", "", false
	}
	return cmd, to, strings.TrimSpace(rest), true
}

// notWordRune reports whether r cannot be part of a command or username.
func notWordRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
}

// mentionAt reports the length of the bot's @username at text[i:], or 0.
// Usernames are ASCII, so byte-wise case folding is exact.
func (a *Adapter) mentionAt(text string, i int) int {
	name := a.me.Username
	n := 1 + len(name)
	if name == "" || text[i] != '@' || i+n > len(text) || !strings.EqualFold(text[i+1:i+n], name) {
		return 0
	}
	if i+n < len(text) && !notWordRune(rune(text[i+n])) {
		return 0 // a longer username that starts with ours
	}
	if i > 0 && !notWordRune(rune(text[i-1])) {
		return 0 // part of an e-mail address or a word
	}
	return n
}

// mentioned reports whether text mentions the bot.
func (a *Adapter) mentioned(text string) bool {
	for i := range len(text) {
		if a.mentionAt(text, i) > 0 {
			return true
		}
	}
	return false
}

// stripMentions removes the bot's @username from text, with the comma or
// colon that often follows one at the start.
func (a *Adapter) stripMentions(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		if n := a.mentionAt(text, i); n > 0 {
			i += n
			continue
		}
		b.WriteByte(text[i])
		i++
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	return strings.TrimSpace(strings.TrimLeft(s, ",:;"))
}
