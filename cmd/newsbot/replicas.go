package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"slices"
	"time"

	"newsbot/adapters/discord"
	"newsbot/adapters/ops"
	"newsbot/adapters/telegram"
	"newsbot/retrieval/store"
)

// ServeConfig is the [serve] section: what `serve` exposes besides the
// chat bots.
type ServeConfig struct {
	// Listen is the address of the ops server (/healthz, /metrics), e.g.
	// "127.0.0.1:9090" or ":9090"; empty (the default) turns it off.
	Listen string `toml:"listen"`
	// OpsToken lets a /healthz request from another machine see the full
	// status ("Authorization: Bearer TOKEN"); without it only loopback
	// requests do, others get "ok" or "degraded" alone.
	OpsToken string `toml:"ops_token"`
}

func (c ServeConfig) validate() error {
	if c.Listen == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("config: [serve] listen %q: want host:port, e.g. \"127.0.0.1:9090\" or \":9090\"", c.Listen)
	}
	return nil
}

// applyReplicaEnv reads NEWSBOT_DISCORD_SHARD ("ID/COUNT"), which lets
// every replica share one config file and differ by environment.
func applyReplicaEnv(c *Config, getenv func(string) string) error {
	v := getenv("NEWSBOT_DISCORD_SHARD")
	if v == "" {
		return nil
	}
	id, count, err := discord.ParseShard(v)
	if err != nil {
		return fmt.Errorf("NEWSBOT_DISCORD_SHARD: %w", err)
	}
	c.Discord.ShardID, c.Discord.ShardCount = id, count
	return nil
}

// replicaName names this process in leases and /healthz: host and pid for
// people, and a random part so that a restarted process that got the same
// pid is not mistaken for the lease holder it replaces.
func (m *Main) replicaName() string {
	if m.replica == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		m.replica = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	return m.replica
}

// telegramOptions share the conversation memory and the long-polling
// lease with the other processes on the store.
func (m *Main) telegramOptions() []telegram.Option {
	return []telegram.Option{
		telegram.WithLogger(m.Log.With("adapter", "telegram")),
		telegram.WithMemory(store.Memory(m.db, "telegram"), 0),
		telegram.WithPollLease(m.db, m.replicaName(), 0),
	}
}

// discordOptions share the conversation memory with the other processes
// (replicas and shards) on the store.
func (m *Main) discordOptions() []discord.Option {
	return []discord.Option{
		discord.WithLogger(m.Log.With("adapter", "discord")),
		discord.WithMemory(store.Memory(m.db, "discord"), 0),
	}
}

// opsStatus reads this replica's health: the in-memory index (always
// there) and how it follows the store of record (which may be down).
func (m *Main) opsStatus(ctx context.Context) ops.Status {
	var st ops.Status
	for _, r := range m.leaseReports {
		st.Leases = append(st.Leases, r()...)
	}
	slices.Sort(st.Leases)
	for _, svc := range m.services {
		st.Services = append(st.Services, svc.status())
	}
	if inf, err := m.index.Info(ctx); err == nil {
		st.Articles, st.Chunks = inf.Articles, inf.Chunks
	}
	ss, err := m.index.SyncStatus(ctx)
	st.IndexSeq = ss.Seq
	if err != nil {
		st.StoreError = oneLine(err)
		return st
	}
	st.StoreReachable, st.StoreSeq, st.Engine = true, ss.Latest, m.engine
	if ss.Lag() > 0 && !ss.LastSync.IsZero() {
		st.SyncLag = time.Since(ss.LastSync)
	}
	return st
}

// opsService is serve's /healthz and /metrics server, or nil when
// [serve] listen is empty. It also starts counting what serve does.
func (m *Main) opsService(ctx context.Context) *service {
	if m.Config.Serve.Listen == "" {
		return nil
	}
	if inf, err := m.db.Info(ctx); err == nil {
		m.engine = inf.Engine
	}
	s := ops.New(m.Config.Serve.Listen, m.opsStatus, m.metrics,
		ops.WithLogger(m.Log.With("service", "ops")), ops.WithReplica(m.replicaName()), ops.WithToken(m.Config.Serve.OpsToken))
	return &service{name: "ops", run: s.Run}
}
