package discord

// access is the optional allowlist of guilds and channels. An empty list
// allows everything of its kind; with both set, a place must be on both.
type access struct {
	guilds, channels map[string]bool
}

func newAccess(guilds, channels []string) access {
	set := func(ids []string) map[string]bool {
		if len(ids) == 0 {
			return nil
		}
		m := make(map[string]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	return access{guilds: set(guilds), channels: set(channels)}
}

// allowed reports whether the bot may answer in channelID of guildID
// (guildID is empty in DMs, which a guild allowlist therefore excludes).
func (a access) allowed(guildID, channelID string) bool {
	if a.guilds != nil && !a.guilds[guildID] {
		return false
	}
	return a.channels == nil || a.channels[channelID]
}
