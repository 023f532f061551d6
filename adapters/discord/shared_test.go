package discord

import (
	"fmt"
	"strings"
	"testing"

	"newsbot/adapters/internal/memtest"
)

// Two adapters sharing one memory act as two replicas (or shards) of one
// bot; each has its own fake Discord, so only the memory connects them.
func TestSharedMemoryAcrossReplicas(t *testing.T) {
	t.Parallel()
	mem := &memtest.Map{}
	f1, f2 := newFakeDiscord(t), newFakeDiscord(t)
	f2.mu.Lock()
	f2.nextID = 500 // Discord IDs are unique across replicas
	f2.mu.Unlock()
	fa1, fa2 := newFakeAsker(), newFakeAsker()
	proposalAnswer(t, fa1)
	vote := fa2.answer("and when is the vote?", quote(t, artHostile, "Moderators wrote:"))
	r1 := start(t, f1, fa1, nil, WithMemory(mem, 0))
	r2 := start(t, f2, fa2, nil, WithMemory(mem, 0))

	f1.dispatch("MESSAGE_CREATE", msgEvent("700000000000000040", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	r1.logs.waitFor(t, `msg=answered`)
	first := f1.lastMessageID()

	// The reply to replica 1's answer reaches replica 2.
	f2.dispatch("MESSAGE_CREATE", replyEvent("700000000000000041", first, bob, "and when is the vote?", botUsr))
	r2.logs.waitFor(t, `msg=answered`)
	if qs := fa2.questions(); len(qs) != 1 || fmt.Sprint(qs[0].Previous) != fmt.Sprint([]string{askedQ}) {
		t.Fatalf("follow-up on the other replica: %+v", qs)
	}

	// /sources on replica 1 lists the channel's latest answer, given by 2.
	f1.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000040", guildID, channelID, alice, "sources"))
	var c callback
	f1.waitRequests(1, "POST", `^/interactions/800000000000000040/`)[0].JSON(t, &c)
	if want := renderSources(vote, true)[0]; c.Data == nil || c.Data.Content != want {
		t.Errorf("/sources on replica 1 = %+v, want %q", c.Data, want)
	}

	// With the shared memory down, replica 1 still knows its own answer.
	mem.SetDown(true)
	f1.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000041", guildID, channelID, alice, "sources"))
	f1.waitRequests(1, "POST", `^/interactions/800000000000000041/`)[0].JSON(t, &c)
	if c.Data == nil || !strings.Contains(c.Data.Content, artProposal.Title) {
		t.Errorf("/sources with the memory down = %+v", c.Data)
	}
	r1.logs.waitFor(t, `shared conversation memory unreachable`)
}
