package discord

import (
	"fmt"
	"strconv"
	"strings"
)

// maxShards bounds shard_count; Discord asks for one shard per 1,000
// guilds at most, so this covers 16 million guilds.
const maxShards = 16384

// ParseShard parses "ID/COUNT" (as in NEWSBOT_DISCORD_SHARD, e.g. "0/4"):
// this process runs shard ID of COUNT, 0 <= ID < COUNT.
func ParseShard(s string) (id, count int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("discord shard %q: want ID/COUNT, e.g. 0/4", s)
	}
	id, err1 := strconv.Atoi(strings.TrimSpace(a))
	count, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("discord shard %q: ID and COUNT must be whole numbers", s)
	}
	if err := checkShard(id, count); err != nil {
		return 0, 0, fmt.Errorf("discord shard %q: %w", s, err)
	}
	return id, count, nil
}

// checkShard reports whether shard id of count is possible; count 0 means
// unsharded.
func checkShard(id, count int) error {
	switch {
	case count < 0 || count > maxShards:
		return fmt.Errorf("shard_count %d out of range 1..%d", count, maxShards)
	case id < 0 || (count == 0 && id != 0) || (count > 0 && id >= count):
		return fmt.Errorf("shard_id %d out of range 0..%d", id, max(count, 1)-1)
	}
	return nil
}

// registersCommands reports whether this shard registers the slash
// commands: one registration serves every shard, so only shard 0 does it
// (and never two replicas at once overwrite the list).
func (c Config) registersCommands() bool { return c.ShardID == 0 }
