package discord

import (
	"fmt"
	"testing"

	"newsbot/bot"
)

func TestMemoryChains(t *testing.T) {
	m := newMemory()
	m.remember("c1", []string{"m1", "m2"}, []string{"q1"}, bot.Answer{Question: "q1"})
	m.remember("c1", []string{"m3"}, []string{"q1", "q2"}, bot.Answer{Question: "q2"})
	if got := m.chain("c1", "m2"); fmt.Sprint(got) != "[q1]" {
		t.Errorf("chain(m2) = %v", got)
	}
	if got := m.chain("c1", "m3"); fmt.Sprint(got) != "[q1 q2]" {
		t.Errorf("chain(m3) = %v", got)
	}
	if got := m.chain("c2", "m3"); got != nil {
		t.Errorf("chain in another channel = %v", got)
	}
	if a, ok := m.lastAnswer("c1"); !ok || a.Question != "q2" {
		t.Errorf("lastAnswer = %v, %v", a, ok)
	}
	// Returned chains are copies.
	m.chain("c1", "m3")[0] = "changed"
	if got := m.chain("c1", "m3"); got[0] != "q1" {
		t.Error("chain returned shared storage")
	}
}

func TestMemoryBounds(t *testing.T) {
	m := newMemory()
	long := make([]string, 3*maxChainLen)
	for i := range long {
		long[i] = fmt.Sprint("q", i)
	}
	m.remember("c", []string{"x"}, long, bot.Answer{})
	if got := m.chain("c", "x"); len(got) != maxChainLen || got[len(got)-1] != long[len(long)-1] {
		t.Errorf("chain kept %v", got)
	}
	for i := 0; i < maxMessagesPerChan+10; i++ {
		m.remember("c", []string{fmt.Sprint("m", i)}, []string{"q"}, bot.Answer{})
	}
	if got := m.chain("c", "m0"); got != nil {
		t.Error("oldest message not forgotten")
	}
	if got := m.chain("c", fmt.Sprint("m", maxMessagesPerChan+9)); got == nil {
		t.Error("newest message forgotten")
	}
	for i := 0; i < maxChannels+5; i++ {
		m.remember(fmt.Sprint("ch", i), []string{"m"}, []string{"q"}, bot.Answer{})
	}
	if len(m.channels) != maxChannels || m.lru.Len() != maxChannels {
		t.Errorf("%d channels kept, want %d", len(m.channels), maxChannels)
	}
	if _, ok := m.lastAnswer("ch0"); ok {
		t.Error("least recently used channel not evicted")
	}
	if _, ok := m.lastAnswer(fmt.Sprint("ch", maxChannels+4)); !ok {
		t.Error("newest channel evicted")
	}
}
