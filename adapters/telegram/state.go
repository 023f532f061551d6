package telegram

import (
	"container/list"
	"sync"
	"time"

	"newsbot/bot"
)

// Bounds on conversation memory. A chat's state is a few short questions
// and answers, so the worst case stays in the tens of megabytes.
const (
	defaultMaxChats  = 512 // chats remembered, least recently used forgotten first
	maxMsgsPerChat   = 16  // bot messages per chat that a reply can continue from
	maxPrevious      = 3   // earlier questions passed as context
	maxPreviousBytes = 500 // of each earlier question; it is context, not quoted
)

// record is one answered question and the conversation it ended.
type record struct {
	// chain holds the conversation's questions, oldest first, ending with
	// the one answer answers; it is never modified once stored.
	chain  []string
	answer bot.Answer
	at     time.Time
}

// chatState is what the bot remembers about one chat.
type chatState struct {
	id    int64
	last  *record
	byMsg map[int]*record // the bot's message ID → what it answered
	order []int           // keys of byMsg, oldest first
}

// conversations remembers recent answers per chat, for follow-ups and
// /sources, in a bounded LRU. It is safe for concurrent use.
type conversations struct {
	mu       sync.Mutex
	maxChats int
	lru      *list.List // of *chatState, most recently used first
	chats    map[int64]*list.Element
}

func newConversations(maxChats int) *conversations {
	return &conversations{maxChats: maxChats, lru: list.New(), chats: map[int64]*list.Element{}}
}

// get returns chat's state, marking it used; nil if unknown and !create.
func (c *conversations) get(chat int64, create bool) *chatState {
	if e, ok := c.chats[chat]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*chatState)
	}
	if !create {
		return nil
	}
	st := &chatState{id: chat, byMsg: map[int]*record{}}
	c.chats[chat] = c.lru.PushFront(st)
	for c.lru.Len() > c.maxChats {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.chats, old.Value.(*chatState).id)
	}
	return st
}

// previous returns the questions a new question in chat continues, oldest
// first: those of the bot message it replies to (replyTo, 0 if none), or
// in a private chat those of the last answer if it came within window.
func (c *conversations) previous(chat int64, replyTo int, private bool, now time.Time, window time.Duration) []string {
	return chainOf(c.message(chat, replyTo), c.latest(chat), private, now, window)
}

// lookup returns the answer /sources should list: that of the bot message
// replyTo if known, else the chat's last; nil if none.
func (c *conversations) lookup(chat int64, replyTo int) *bot.Answer {
	return answerOf(c.message(chat, replyTo), c.latest(chat))
}

// message returns what the bot's message id in chat answered, or nil.
func (c *conversations) message(chat int64, id int) *record {
	if id == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.get(chat, false); st != nil {
		return st.byMsg[id]
	}
	return nil
}

// latest returns chat's last answer, or nil.
func (c *conversations) latest(chat int64) *record {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.get(chat, false); st != nil {
		return st.last
	}
	return nil
}

// chainOf picks the questions a new question continues: those of the
// answer replied to (byMsg), or in a private chat those of the last answer
// if it came within window.
func chainOf(byMsg, last *record, private bool, now time.Time, window time.Duration) []string {
	if byMsg != nil {
		return byMsg.chain
	}
	if private && last != nil && now.Sub(last.at) <= window {
		return last.chain
	}
	return nil
}

// answerOf picks the answer /sources lists: the one replied to, else the
// last; nil if neither is known.
func answerOf(byMsg, last *record) *bot.Answer {
	if byMsg != nil {
		return &byMsg.answer
	}
	if last != nil {
		return &last.answer
	}
	return nil
}

// remember stores ans, sent as the bot messages msgIDs, as the answer to
// question after the earlier questions prev, and returns what it stored.
func (c *conversations) remember(chat int64, msgIDs []int, prev []string, question string, ans bot.Answer, now time.Time) *record {
	r := &record{chain: extend(prev, question), answer: ans, at: now}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.get(chat, true)
	st.last = r
	c.putLocked(st, msgIDs, r)
	return r
}

// cache keeps r, found in the shared memory, as what the bot's message id
// in chat answered; the chat's last answer is left alone.
func (c *conversations) cache(chat int64, id int, r *record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(c.get(chat, true), []int{id}, r)
}

// putLocked maps the messages ids of st to r, forgetting the oldest beyond
// the bound; c.mu must be held.
func (c *conversations) putLocked(st *chatState, ids []int, r *record) {
	for _, id := range ids {
		if _, ok := st.byMsg[id]; !ok {
			st.order = append(st.order, id)
		}
		st.byMsg[id] = r
	}
	for len(st.order) > maxMsgsPerChat {
		delete(st.byMsg, st.order[0])
		st.order = st.order[1:]
	}
}

// extend returns a new chain of at most maxPrevious questions ending with
// q, leaving prev untouched.
func extend(prev []string, q string) []string {
	if len(q) > maxPreviousBytes {
		q = truncateUTF8(q, maxPreviousBytes)
	}
	if len(prev) >= maxPrevious {
		prev = prev[len(prev)-maxPrevious+1:]
	}
	out := make([]string, 0, len(prev)+1)
	return append(append(out, prev...), q)
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
