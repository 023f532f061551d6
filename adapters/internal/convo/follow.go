package convo

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"newsbot/bot"
	"newsbot/bot/text"
)

// FollowCommand is one of the commands that manage a chat's follows.
type FollowCommand int

// The follow commands.
const (
	NotFollow FollowCommand = iota // not a follow command
	Follow                         // follow <topic or question> [daily HH:MM Zone]
	Following                      // list the chat's follows
	Unfollow                       // unfollow <n|all>
)

// FollowCommandNamed returns the follow command called name ("follow",
// "following", "unfollow", in any case), or NotFollow.
func FollowCommandNamed(name string) FollowCommand {
	switch strings.ToLower(name) {
	case "follow":
		return Follow
	case "following":
		return Following
	case "unfollow":
		return Unfollow
	}
	return NotFollow
}

// FollowWords reads a follow command written as words, as the mention
// forms do ("follow Ukraine security guarantees", "following",
// "unfollow 2"): it returns the command and its arguments, or NotFollow
// when text is something else, such as a question. "following" is the
// command only alone, so that "following the vote, who won?" stays a
// question.
func FollowWords(text string) (FollowCommand, string) {
	text = strings.TrimSpace(text)
	head, args := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		head, args = text[:i], strings.TrimSpace(text[i:])
	}
	cmd := FollowCommandNamed(head)
	if cmd == NotFollow || cmd == Following && args != "" {
		return NotFollow, ""
	}
	return cmd, args
}

// Reply is what the bot says back, in plain text for the platform to
// escape, followed, when Answer is not nil, by an answer the platform
// renders as it renders answers. The follow commands and the pushes are
// replies.
type Reply struct {
	Text   string
	Answer *bot.Answer
}

// Follows runs the follow commands the same way on every platform: what is
// asked of the Follower and what the user is told. The platform parses its
// commands, admits the user through its Gate, and renders the Reply.
type Follows struct {
	// Follower manages the follows; nil: following is not enabled here.
	Follower bot.Follower
	// Scrub removes secrets from an error's text before it is logged.
	Scrub func(string) string
}

// Enabled reports whether following is enabled, for the platforms' help and
// command lists.
func (f Follows) Enabled() bool { return f.Follower != nil }

// maxQueryRunes bounds a follow's query as the replies repeat it.
const maxQueryRunes = 200

// Replies of the follow commands that are not about one follow.
const (
	NotEnabled    = "Following stories isn't enabled here."
	FollowUsage   = "Tell me what to follow after the command, e.g. /follow Ukraine security guarantees — add “daily 08:00 Europe/London” to get what waits in a digest once a day."
	UnfollowUsage = "Say which follow to stop: /unfollow followed by its number in /following, or /unfollow all."
)

// Run runs the follow command cmd with its arguments args in chat and
// returns the reply. A failure is logged to log (its text passed through
// Scrub) and answered with bot.UserMessage.
func (f Follows) Run(ctx context.Context, log *slog.Logger, chat bot.Chat, cmd FollowCommand, args string) Reply {
	if f.Follower == nil {
		return Reply{Text: NotEnabled}
	}
	args = strings.Join(strings.Fields(args), " ")
	switch cmd {
	case Follow:
		if args == "" {
			return Reply{Text: FollowUsage}
		}
		fl, ans, err := f.Follower.Follow(ctx, chat, args)
		if err != nil {
			return f.failed(log, "follow", err)
		}
		log.Info("follow added", "follow_id", fl.ID)
		return followed(fl, ans)
	case Following:
		fs, err := f.Follower.Following(ctx, chat)
		if err != nil {
			return f.failed(log, "following", err)
		}
		return Reply{Text: listFollows(fs)}
	case Unfollow:
		all := strings.EqualFold(args, "all")
		n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
		if !all && (err != nil || n < 1) {
			return Reply{Text: UnfollowUsage}
		}
		removed, err := f.Follower.Unfollow(ctx, chat, n, all)
		if err != nil {
			return f.failed(log, "unfollow", err)
		}
		log.Info("follows removed", "removed", removed, "all", all)
		return Reply{Text: unfollowed(n, all, removed)}
	}
	return Reply{Text: FollowUsage}
}

// failed logs err and returns its user message.
func (f Follows) failed(log *slog.Logger, what string, err error) Reply {
	msg := err.Error()
	if f.Scrub != nil {
		msg = f.Scrub(msg)
	}
	log.Error(what+" failed", "err", msg)
	return Reply{Text: bot.UserMessage(err)}
}

// followed confirms fl: what is watched, how often pushes come, and the
// best quote so far, if any.
func followed(fl bot.Follow, ans bot.Answer) Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "Following “%s” in this chat. I'll post new quotes that answer it as articles arrive, at most %d an hour; %s.",
		query(fl.Query), perHour(fl), digestWhen(fl))
	if !ans.Answered || len(ans.Quotes) == 0 {
		b.WriteString("\n\nNothing in the news answers it yet.")
		return Reply{Text: b.String()}
	}
	if len(ans.Quotes) == 1 {
		b.WriteString("\n\nThe best quote so far:")
	} else {
		b.WriteString("\n\nThe best quotes so far:")
	}
	return Reply{Text: b.String(), Answer: &ans}
}

// perHour is fl's hourly limit.
func perHour(fl bot.Follow) int {
	if fl.PerHour > 0 {
		return fl.PerHour
	}
	return bot.DefaultPerHour
}

// digestWhen says where the pushes past the hourly limit go.
func digestWhen(fl bot.Follow) string {
	if fl.Daily == "" {
		return "the rest come in a digest at the start of the next hour"
	}
	return "the rest come in a digest every day at " + fl.Daily + " " + zoneName(fl.Zone)
}

func zoneName(zone string) string {
	if zone == "" {
		return "UTC"
	}
	return zone
}

// listFollows numbers fs as Unfollow counts them, each with its schedule
// and last push.
func listFollows(fs []bot.Follow) string {
	if len(fs) == 0 {
		return "Nothing is followed in this chat. Start with /follow and a topic or question."
	}
	var b strings.Builder
	b.WriteString("Followed in this chat:")
	for i, fl := range fs {
		fmt.Fprintf(&b, "\n%d. “%s”", i+1, query(fl.Query))
		if fl.Daily != "" {
			fmt.Fprintf(&b, " (digest daily at %s %s)", fl.Daily, zoneName(fl.Zone))
		}
		b.WriteString(" — last push: " + lastPush(fl))
	}
	b.WriteString("\n\nStop one with /unfollow and its number, or all with /unfollow all.")
	return b.String()
}

// lastPush is when fl last pushed, in its zone, or "never".
func lastPush(fl bot.Follow) string {
	if fl.LastPush.IsZero() {
		return "never"
	}
	loc, err := time.LoadLocation(fl.Zone)
	if err != nil {
		loc = time.UTC
	}
	return fl.LastPush.In(loc).Format("2 January 2006, 15:04 MST")
}

// unfollowed reports what Unfollow(n, all) removed.
func unfollowed(n int, all bool, removed int) string {
	switch {
	case all && removed == 0:
		return "Nothing was followed in this chat."
	case all && removed == 1:
		return "Stopped the one follow in this chat."
	case all:
		return fmt.Sprintf("Stopped all %d follows in this chat.", removed)
	case removed == 0:
		return fmt.Sprintf("There is no follow number %d in this chat; /following lists them.", n)
	}
	return fmt.Sprintf("Stopped follow number %d. /following lists the rest.", n)
}

// query is a follow's query as the replies quote it: one line, bounded.
func query(q string) string {
	return text.Truncate(strings.Join(strings.Fields(q), " "), maxQueryRunes)
}

// Push is the message for a follow's pushes: one push is "New on your
// follow “query”:" and its quote; several are a digest, "N new quotes on
// your follow “query”:" and the quotes, oldest first. The quotes come as an
// answer, which the platform renders with their citations and links.
func Push(f bot.Follow, ps []bot.Push) Reply {
	q := f.Query
	if q == "" && len(ps) > 0 {
		q = ps[0].Query
	}
	ans := bot.Answer{Question: q, Answered: len(ps) > 0}
	for _, p := range ps {
		ans.Quotes = append(ans.Quotes, p.Quote)
	}
	head := fmt.Sprintf("New on your follow “%s”:", query(q))
	if len(ps) > 1 {
		head = fmt.Sprintf("%d new quotes on your follow “%s”:", len(ps), query(q))
	}
	return Reply{Text: head, Answer: &ans}
}
