package discord

import (
	"container/list"
	"sync"

	"newsbot/bot"
)

// Bounds on conversation memory. A channel keeps the question chains of its
// most recent answer messages and its last answer; the least recently used
// channels are forgotten first.
const (
	maxChannels        = 1000
	maxMessagesPerChan = 100
	maxChainLen        = 5
)

// memory remembers, per channel, which question chain each of the bot's
// answer messages belongs to (for follow-ups by reply) and the last answer
// (for /sources). It is bounded in channels, messages and chain length, and
// safe for concurrent use.
type memory struct {
	mu       sync.Mutex
	channels map[string]*list.Element // of *channelMemory
	lru      *list.List               // front = most recently used
}

type channelMemory struct {
	id     string
	last   bot.Answer
	hasAns bool
	chains map[string][]string // answer message ID → questions, oldest first
	order  []string            // message IDs in chains, oldest first
}

func newMemory() *memory {
	return &memory{channels: map[string]*list.Element{}, lru: list.New()}
}

// channel returns the channel's memory, creating it and evicting the least
// recently used channel if needed. m.mu must be held.
func (m *memory) channel(id string, create bool) *channelMemory {
	if e, ok := m.channels[id]; ok {
		m.lru.MoveToFront(e)
		return e.Value.(*channelMemory)
	}
	if !create {
		return nil
	}
	if m.lru.Len() >= maxChannels {
		old := m.lru.Back()
		m.lru.Remove(old)
		delete(m.channels, old.Value.(*channelMemory).id)
	}
	c := &channelMemory{id: id, chains: map[string][]string{}}
	m.channels[id] = m.lru.PushFront(c)
	return c
}

// remember records that the messages msgIDs in channelID answered the last
// question of chain, and that ans is the channel's latest answer. It
// returns the chain as stored (bounded, a copy).
func (m *memory) remember(channelID string, msgIDs []string, chain []string, ans bot.Answer) []string {
	chain = boundChain(chain)
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.channel(channelID, true)
	c.last, c.hasAns = ans, true
	c.putLocked(msgIDs, chain)
	return chain
}

// cache records chain, found in the shared memory, as what the bot's
// message msgID answered; the channel's latest answer is left alone.
func (m *memory) cache(channelID, msgID string, chain []string) {
	chain = boundChain(chain)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.channel(channelID, true).putLocked([]string{msgID}, chain)
}

// boundChain returns a copy of the last maxChainLen questions of chain.
func boundChain(chain []string) []string {
	if len(chain) > maxChainLen {
		chain = chain[len(chain)-maxChainLen:]
	}
	return append([]string(nil), chain...)
}

// putLocked maps msgIDs to chain, forgetting the oldest beyond the bound;
// the memory's mutex must be held.
func (c *channelMemory) putLocked(msgIDs []string, chain []string) {
	for _, id := range msgIDs {
		if id == "" {
			continue
		}
		if _, ok := c.chains[id]; !ok {
			c.order = append(c.order, id)
		}
		c.chains[id] = chain
	}
	for len(c.order) > maxMessagesPerChan {
		delete(c.chains, c.order[0])
		c.order = c.order[1:]
	}
}

// chain returns a copy of the question chain that the bot's message msgID
// answered, or nil if it is unknown (never seen, forgotten, or sent before
// a restart).
func (m *memory) chain(channelID, msgID string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.channel(channelID, false)
	if c == nil {
		return nil
	}
	return append([]string(nil), c.chains[msgID]...)
}

// lastAnswer returns the channel's latest answer.
func (m *memory) lastAnswer(channelID string) (bot.Answer, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.channel(channelID, false)
	if c == nil || !c.hasAns {
		return bot.Answer{}, false
	}
	return c.last, true
}
