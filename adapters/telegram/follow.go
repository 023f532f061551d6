package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Platform is the bot.Chat platform of Telegram chats; their ID is the
// chat id.
const Platform = "telegram"

// WithFollower enables /follow, /following and /unfollow, managed by f.
// Without it those commands answer that following is not enabled.
func WithFollower(f bot.Follower) Option { return func(a *Adapter) { a.follows.Follower = f } }

// chatOf names a Telegram chat for the Follower.
func chatOf(id int64) bot.Chat { return bot.Chat{Platform: Platform, ID: strconv.FormatInt(id, 10)} }

// follow runs a follow command and sends its reply.
func (a *Adapter) follow(ctx context.Context, log *slog.Logger, chat int64, t target, cmd convo.FollowCommand, args string) {
	a.sendAll(ctx, t, renderReply(a.follows.Run(ctx, log, chatOf(chat), cmd, args), maxMessageUTF16))
}

// renderReply renders r as HTML messages of at most limit UTF-16 units:
// its text, then its answer as renderAnswer renders answers.
func renderReply(r convo.Reply, limit int) []string {
	var blocks []string
	for _, part := range splitRaw(strings.TrimSpace(r.Text), limit) {
		blocks = append(blocks, escapeText(part))
	}
	if r.Answer != nil {
		blocks = append(blocks, renderAnswer(*r.Answer, limit)...)
	}
	return pack(blocks, limit)
}

// renderPush renders a follow's pushes (see convo.Push).
func renderPush(f bot.Follow, ps []bot.Push, limit int) []string {
	return renderReply(convo.Push(f, ps), limit)
}

// Pusher returns a bot.Pusher that sends follows' pushes through this
// adapter's Bot API client. It works whether or not Run is serving.
func (a *Adapter) Pusher() bot.Pusher { return pusher{a} }

// NewPusher returns a bot.Pusher for cfg that only sends pushes: for a
// process that delivers follows without serving the chat, or to build the
// Pusher before the Follower the Adapter needs.
func NewPusher(cfg Config, opts ...Option) (bot.Pusher, error) {
	a, err := newAdapter(cfg, nil, opts...)
	if err != nil {
		return nil, err
	}
	return a.Pusher(), nil
}

type pusher struct{ a *Adapter }

// Push implements bot.Pusher: one message for one push, a digest for
// several, split at Telegram's message limit. Telegram's 403 (the bot was
// blocked or removed) and 400 "chat not found" wrap bot.ErrChatGone.
func (p pusher) Push(ctx context.Context, f bot.Follow, ps []bot.Push) error {
	if len(ps) == 0 {
		return nil
	}
	chat, err := strconv.ParseInt(f.Chat.ID, 10, 64)
	if err != nil || f.Chat.Platform != Platform {
		return fmt.Errorf("telegram: push for follow %d: %s chat %q is not a Telegram chat", f.ID, f.Chat.Platform, f.Chat.ID)
	}
	parts := renderPush(f, ps, maxMessageUTF16)
	for i, part := range parts {
		if _, err := p.a.sendPart(ctx, target{chat: chat}, part, false); err != nil {
			err = p.a.redact(err)
			if chatGone(err) {
				return fmt.Errorf("telegram: push to chat %d: %w: %w", chat, bot.ErrChatGone, err)
			}
			return fmt.Errorf("telegram: push to chat %d (message %d of %d): %w", chat, i+1, len(parts), err)
		}
	}
	p.a.log.Debug("telegram: pushed", "chat_id", chat, "follow_id", f.ID, "pushes", len(ps), "messages", len(parts))
	return nil
}

// chatGone reports whether err is Telegram saying the chat cannot be
// written to any more: 403 Forbidden (the user blocked the bot, or it was
// removed from the group) or 400 "chat not found".
func chatGone(err error) bool {
	return errors.Is(err, tgbot.ErrorForbidden) ||
		errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), "chat not found")
}
